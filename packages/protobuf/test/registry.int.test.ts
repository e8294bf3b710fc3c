import { messageFromEvent } from '@cqrs/core';
import { file_cqrs_example_v1_user_created, UserCreatedSchema, UserDeletedSchema } from '@cqrs/example-protos';
import { UserCreatedEvent, unique } from '@cqrs/test-fixtures';
import { createSchemaRegistry, ProtobufValueDeserializer, ProtobufValueSerializer, readFrameHeader, registrySchema } from '../src';
import { UserDeletedEvent, userCreated } from './fixtures/events';
import { startCountingProxy } from './helpers/counting-proxy';
import { registryEnv } from './helpers/registry-env';

const env = registryEnv();

describe('against the real registry (Apicurio ccompat API)', () => {
  it('registers a schema as .proto text and fetches it back by id', async () => {
    const registry = createSchemaRegistry({ url: env.url });
    const subject = unique('it-register');
    const schema = registrySchema(file_cqrs_example_v1_user_created, 'text', []);
    const id = await registry.register(subject, schema);
    expect(id).toBeGreaterThan(0);
    expect(await registry.register(subject, schema)).toBe(id);
    const fetched = await registry.getById(id);
    expect(fetched.schemaType).toBe('PROTOBUF');
    expect(fetched.schema).toContain('message UserCreated');
    expect((await registry.latest(subject)).id).toBe(id);
    await registry.close();
  });

  it('round-trips events, registering the imported file first and referencing it', async () => {
    const proxy = await startCountingProxy(env.url);
    try {
      const registry = createSchemaRegistry({ url: proxy.url });
      const topic = unique('it-refs');
      const serializer = new ProtobufValueSerializer({ registry });
      const event = new UserDeletedEvent({ eventName: 'user_deleted', topic, payload: { userId: 'u-1' } });
      const encoded = await serializer.serialize(messageFromEvent(event));
      expect(readFrameHeader(encoded.value)).toMatchObject({ messageIndexes: [1] });
      const deserializer = new ProtobufValueDeserializer({ model: UserDeletedEvent, protobufModel: UserDeletedSchema, registry: createSchemaRegistry({ url: env.url }) });
      const back = (await deserializer.deserialize(encoded.value, { topic })) as UserDeletedEvent;
      expect(back.eventId).toBe(event.eventId);
      expect(back.payload.userId).toBe('u-1');
      const latest = await registry.latest(`${topic}-value`);
      expect(latest.references).toEqual([{ name: 'cqrs/example/v1/user_created.proto', subject: 'cqrs/example/v1/user_created.proto', version: expect.any(Number) as number }]);
      await registry.close();
    } finally {
      await proxy.close();
    }
  });

  it('makes one registry round trip per schema, not one per message', async () => {
    const proxy = await startCountingProxy(env.url);
    try {
      const registry = createSchemaRegistry({ url: proxy.url });
      const topic = unique('it-count');
      const serializer = new ProtobufValueSerializer({ registry });
      const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });
      const events = Array.from({ length: 50 }, () => userCreated(topic));
      const encoded = await Promise.all(events.map(async (event) => serializer.serialize(messageFromEvent(event))));
      const afterSerialize = [...proxy.requests];
      const decoded = await Promise.all(encoded.map(async (value) => deserializer.deserialize(value.value, { topic })));
      expect(decoded.map((event) => (event as UserCreatedEvent).eventId)).toEqual(events.map((event) => event.eventId));
      // Three lookups (text, protobuf-es descriptor, descriptor without json_name), then one registration.
      const subject = `/apis/ccompat/v7/subjects/${topic}-value`;
      expect(afterSerialize).toEqual([...Array.from({ length: 3 }, () => `POST ${subject}?normalize=true`), `POST ${subject}/versions`]);
      expect(proxy.requests.slice(afterSerialize.length)).toEqual([expect.stringMatching(/^GET \/apis\/ccompat\/v7\/schemas\/ids\/\d+/)]);
      await registry.close();
    } finally {
      await proxy.close();
    }
  });

  it('talks to a registry behind basic auth, and says so clearly when the password is wrong', async () => {
    const subject = unique('it-auth');
    const schema = registrySchema(file_cqrs_example_v1_user_created, 'text', []);
    const good = createSchemaRegistry({ url: env.auth.url, basicAuth: { username: env.auth.username, password: env.auth.password } });
    const id = await good.register(subject, schema);
    expect((await good.getById(id)).schema).toContain('message UserCreated');
    await good.close();

    const bad = createSchemaRegistry({ url: env.auth.url, basicAuth: { username: env.auth.username, password: 'wrong-password' }, maxRetries: 0 });
    const failure = bad.register(subject, schema);
    await expect(failure).rejects.toMatchObject({ name: 'SchemaRegistryError', code: 'SCHEMA_REGISTRY_ERROR', status: 401, retriable: false });
    await expect(failure).rejects.toThrow(/not authorized \(HTTP 401\): check the registry credentials/);
    await expect(failure).rejects.not.toThrow(/wrong-password/);

    const userInUrl = new URL(env.auth.url);
    userInUrl.username = env.auth.username;
    userInUrl.password = env.auth.password;
    const fromUrl = createSchemaRegistry({ url: userInUrl.toString() });
    expect(fromUrl.description).not.toContain(env.auth.password);
    expect(await fromUrl.register(subject, schema)).toBe(id);
    await fromUrl.close();
  });

  it('reports an unknown schema id as such, and a message of another type as WrongMessageType', async () => {
    const registry = createSchemaRegistry({ url: env.url });
    const topic = unique('it-unknown');
    const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });
    const unknown = Uint8Array.of(0, 0x7f, 0xff, 0xff, 0xf0, 0, 0x0a, 0x00);
    expect(await deserializer.deserialize(unknown, { topic })).toMatchObject({ name: 'DeserializeProtobufError', errorType: 'UnknownSchemaId', messageData: unknown });
    const other = await new ProtobufValueSerializer({ registry }).serialize(messageFromEvent(new UserDeletedEvent({ eventName: 'user_deleted', topic, payload: { userId: 'u' } })));
    expect(await deserializer.deserialize(other.value, { topic })).toMatchObject({ errorType: 'WrongMessageType' });
    await registry.close();
  });
});
