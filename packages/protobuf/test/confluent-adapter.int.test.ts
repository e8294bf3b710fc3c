import { messageFromEvent } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { UserCreatedEvent, unique } from '@cqrs/test-fixtures';
import { ProtobufValueDeserializer, ProtobufValueSerializer, readFrameHeader } from '../src';
import { createConfluentSchemaRegistry } from '../src/confluent';
import { userCreated } from './fixtures/events';
import { registryEnv } from './helpers/registry-env';

const env = registryEnv();

describe('the @confluentinc/schemaregistry adapter against the real registry', () => {
  it('round-trips events and finds the schema again in a second process-like instance', async () => {
    const topic = unique('it-confluent');
    const first = createConfluentSchemaRegistry({ url: env.url });
    const event = userCreated(topic);
    const encoded = await new ProtobufValueSerializer({ registry: first }).serialize(messageFromEvent(event));
    const back = (await new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry: first }).deserialize(encoded.value, { topic })) as UserCreatedEvent;
    expect(back.eventId).toBe(event.eventId);
    const second = createConfluentSchemaRegistry({ url: env.url });
    expect(await new ProtobufValueSerializer({ registry: second }).prepare(UserCreatedSchema, topic)).toBe((readFrameHeader(encoded.value) as { schemaId: number }).schemaId);
    expect((await second.latest(`${topic}-value`)).version).toBe(1);
    await first.close();
    await second.close();
  });

  it('passes basic auth and reports a wrong password without it', async () => {
    const good = createConfluentSchemaRegistry({ url: env.auth.url, basicAuth: { username: env.auth.username, password: env.auth.password } });
    expect(await new ProtobufValueSerializer({ registry: good }).prepare(UserCreatedSchema, unique('it-confluent-auth'))).toBeGreaterThan(0);
    await good.close();
    const bad = createConfluentSchemaRegistry({ url: env.auth.url, basicAuth: { username: env.auth.username, password: 'wrong-password' }, maxRetries: 0 });
    const failure = new ProtobufValueSerializer({ registry: bad }).prepare(UserCreatedSchema, unique('it-confluent-auth'));
    await expect(failure).rejects.toMatchObject({ name: 'SchemaRegistryError', status: 401 });
    await expect(failure).rejects.not.toThrow(/wrong-password/);
    await bad.close();
  });
});
