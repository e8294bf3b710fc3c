import { messageFromEvent } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { UserCreatedEvent } from '@cqrs/test-fixtures';
import { Agent } from 'node:https';
import { ProtobufValueDeserializer, ProtobufValueSerializer } from '../src';
import { confluentClientConfig, createConfluentSchemaRegistry } from '../src/confluent';
import { userCreated } from './fixtures/events';

describe('the @confluentinc/schemaregistry adapter', () => {
  it('runs the serde over Confluent\u2019s MockClient for mem:// and loads the library on first use only', async () => {
    const registry = createConfluentSchemaRegistry({ url: 'mem://adapter' });
    expect(registry.description).toBe('mem://adapter');
    const event = userCreated('adapter');
    const encoded = await new ProtobufValueSerializer({ registry }).serialize(messageFromEvent(event));
    const back = await new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry }).deserialize(encoded.value, { topic: 'adapter' });
    expect((back as UserCreatedEvent).eventId).toBe(event.eventId);
    expect((await registry.latest('adapter-value')).version).toBe(1);
    await expect(registry.latest('nothing-value')).rejects.toMatchObject({ name: 'SchemaRegistryError', status: 404 });
    await registry.close();
  });

  it('moves credentials out of the URL into basic auth', () => {
    const config = confluentClientConfig({}, 'https://alice:s3cret@registry.example.com/apis/ccompat/v7/');
    expect(config.baseURLs).toEqual(['https://registry.example.com/apis/ccompat/v7']);
    expect(config.basicAuthCredentials).toEqual({ credentialsSource: 'USER_INFO', userInfo: 'alice:s3cret' });
    expect(createConfluentSchemaRegistry({ url: 'https://alice:s3cret@registry.example.com' }).description).toBe('https://alice:***@registry.example.com');
  });

  it('sends a bearer token, extra headers, a timeout and a TLS agent', () => {
    const config = confluentClientConfig({ bearerToken: 't0k', headers: { 'x-tenant': 'a' }, timeoutMs: 1234, tls: { ca: 'PEM', rejectUnauthorized: false } }, 'https://registry.example.com');
    expect(config.createAxiosDefaults.headers).toEqual({ 'x-tenant': 'a', Authorization: 'Bearer t0k' });
    expect(config.createAxiosDefaults.timeout).toBe(1234);
    const agent = config.createAxiosDefaults.httpsAgent as Agent;
    expect(agent).toBeInstanceOf(Agent);
    expect(agent.options).toMatchObject({ ca: 'PEM', rejectUnauthorized: false });
    expect(config.basicAuthCredentials).toBeUndefined();
  });
});
