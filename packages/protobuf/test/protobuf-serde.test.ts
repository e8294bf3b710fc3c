import { InMemoryConsumer, InMemoryMessageBroker, isDeserializeError, messageFromEvent } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { UserCreatedEvent } from '@cqrs/test-fixtures';
import { InMemorySchemaRegistry, ProtobufHeaders, ProtobufValueDeserializer, ProtobufValueSerializer, readFrameHeader } from '../src';
import { userCreated } from './fixtures/events';

describe('ProtobufValueSerializer and ProtobufValueDeserializer with an in-memory registry', () => {
  it('round-trips an event: same id, timestamp, name, payload; topic from the message', async () => {
    const registry = new InMemorySchemaRegistry();
    const serializer = new ProtobufValueSerializer({ registry });
    const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });
    const event = userCreated('user_events_proto');

    const encoded = await serializer.serialize(messageFromEvent(event));
    expect(encoded.headers).toEqual({ 'content-type': 'application/x-protobuf', [ProtobufHeaders.messageType]: 'cqrs.example.v1.UserCreated' });
    expect(encoded.value[0]).toBe(0);
    const header = readFrameHeader(encoded.value);
    expect(header).toMatchObject({ schemaId: 1, messageIndexes: [0], bodyOffset: 6 });

    const decoded = await deserializer.deserialize(encoded.value, { topic: 'copied_topic' });
    expect(isDeserializeError(decoded)).toBe(false);
    const back = decoded as UserCreatedEvent;
    expect(back).toBeInstanceOf(UserCreatedEvent);
    expect(back.eventId).toBe(event.eventId);
    expect(back.eventTimestamp.toISOString()).toBe(event.eventTimestamp.toISOString());
    expect(back.eventName).toBe('user_created');
    expect(back.topic).toBe('copied_topic');
    expect(back.payload).toEqual(event.payload);
  });

  it('runs the whole produce-consume path through the in-memory broker', async () => {
    const registry = new InMemorySchemaRegistry();
    const broker = new InMemoryMessageBroker({ valueSerializer: new ProtobufValueSerializer({ registry }) });
    const received: UserCreatedEvent[] = [];
    const consumer = new InMemoryConsumer({ broker });
    consumer.subscribe(
      { topics: ["user_events_proto"], valueDeserializer: new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry }) },
      async (body, msg) => {
        if (body instanceof UserCreatedEvent) received.push(body);
        await msg.ack();
      },
    );
    await consumer.start();
    await broker.sendMessage(messageFromEvent(userCreated()));
    await consumer.idle();
    await consumer.stop();
    expect(received.map((event) => event.payload.email)).toEqual(['user@example.com']);
    expect(broker.records('user_events_proto')[0]?.headers['content-type']).toBe('application/x-protobuf');
  });

  it('decode() stops at the checked Protobuf message, synchronously once the id is known', async () => {
    const registry = new InMemorySchemaRegistry();
    const event = userCreated();
    const bytes = (await new ProtobufValueSerializer({ registry }).serialize(messageFromEvent(event))).value;
    const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });
    const first = deserializer.decode(bytes, { topic: 't' });
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toMatchObject({ $typeName: 'cqrs.example.v1.UserCreated', eventId: event.eventId, eventTimestamp: '2024-05-01T12:34:56.789Z' });
    const warm = deserializer.decode(bytes, { topic: 't' });
    expect(warm).toMatchObject({ payload: { userId: '123', email: 'user@example.com', name: 'John Doe' } });
    expect(deserializer.decode(new Uint8Array(0), { topic: 't' })).toBeNull();
  });
});
