import { messageFromEvent } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { UserCreatedEvent } from '@cqrs/test-fixtures';
import { createSchemaRegistry, DeserializeProtobufError, ProtobufValueDeserializer, ProtobufValueSerializer } from '../src';
import { userCreated } from './fixtures/events';
import { startFakeRegistry, type FakeRegistryServer } from './helpers/fake-registry-server';

describe('registry round trips over HTTP', () => {
  let server: FakeRegistryServer;
  beforeEach(async () => {
    server = await startFakeRegistry();
  });
  afterEach(() => server.close());

  it('registers once for many concurrent first messages and decodes with one id lookup', async () => {
    const registry = createSchemaRegistry({ url: server.url });
    const serializer = new ProtobufValueSerializer({ registry });
    const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });
    const events = Array.from({ length: 100 }, () => userCreated('counted'));

    const first = events.map((event) => serializer.serialize(messageFromEvent(event)));
    expect(first.every((result) => result instanceof Promise)).toBe(true);
    const encoded = await Promise.all(first.map(async (result) => result));
    // The subject is searched for each form the schema could have been registered in, then it is registered.
    const resolve = (subject: string): string[] => [...Array.from({ length: 3 }, () => `POST /subjects/${subject}`), `POST /subjects/${subject}/versions`];
    expect(server.requests).toEqual(resolve('counted-value'));

    // Warm: synchronous, no request.
    const warm = serializer.serialize(messageFromEvent(userCreated('counted')));
    expect(warm).not.toBeInstanceOf(Promise);

    const decoded = await Promise.all(encoded.map(async (value) => deserializer.deserialize(value.value, { topic: 'counted' })));
    expect(decoded.map((event) => (event as UserCreatedEvent).eventId)).toEqual(events.map((event) => event.eventId));
    expect(server.requests).toEqual([...resolve('counted-value'), 'GET /schemas/ids/1']);
    expect(deserializer.deserialize(encoded[0]!.value, { topic: 'counted' })).toBeInstanceOf(UserCreatedEvent);

    // Another topic is another subject: one more registration, still none per message.
    await Promise.all([1, 2, 3].map(async () => serializer.serialize(messageFromEvent(userCreated('other')))));
    expect(server.requests.filter((request) => request.startsWith('POST'))).toEqual([...resolve('counted-value'), ...resolve('other-value')]);
    await registry.close();
  });

  it('keeps decoding known schema ids while the registry is down, and reports unknown ones as retriable', async () => {
    const registry = createSchemaRegistry({ url: server.url, maxRetries: 0 });
    const serializer = new ProtobufValueSerializer({ registry });
    const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });
    const known = await serializer.serialize(messageFromEvent(userCreated('down')));
    expect(await deserializer.deserialize(known.value, { topic: 'down' })).toBeInstanceOf(UserCreatedEvent);

    server.setDown(true);
    const again = (await serializer.serialize(messageFromEvent(userCreated('down')))).value;
    expect(deserializer.deserialize(again, { topic: 'down' })).toBeInstanceOf(UserCreatedEvent);

    const unknownId = Uint8Array.from(again);
    unknownId[4] = 99;
    const result = await deserializer.deserialize(unknownId, { topic: 'down' });
    expect(result).toBeInstanceOf(DeserializeProtobufError);
    expect(result).toMatchObject({ errorType: 'SchemaRegistryError', messageData: unknownId });
    expect((result as DeserializeProtobufError).errorMessage).toMatch(/fetching schema id 99 failed: HTTP 503/);
    expect(((result as DeserializeProtobufError).cause as { retriable?: boolean }).retriable).toBe(true);

    // A new topic needs the registry: the send fails with a retriable error, and works once it is back.
    await expect(serializer.serialize(messageFromEvent(userCreated('new-topic')))).rejects.toMatchObject({ name: 'SchemaRegistryError', retriable: true });
    server.setDown(false);
    expect((await serializer.serialize(messageFromEvent(userCreated('new-topic')))).value[0]).toBe(0);
    await registry.close();
  });

  it('sends basic auth and bearer tokens', async () => {
    const basic = createSchemaRegistry({ url: server.url, basicAuth: { username: 'user', password: 'secret' } });
    await new ProtobufValueSerializer({ registry: basic }).prepare(UserCreatedSchema, 'auth');
    const bearer = createSchemaRegistry({ url: server.url, bearerToken: 'token-123' });
    await new ProtobufValueSerializer({ registry: bearer }).prepare(UserCreatedSchema, 'auth');
    expect(new Set(server.authorizations)).toEqual(new Set([`Basic ${Buffer.from('user:secret').toString('base64')}`, 'Bearer token-123']));
    // The second serializer finds the schema the first registered with its first lookup.
    expect(server.authorizations).toHaveLength(5);
    await basic.close();
    await bearer.close();
  });
});
