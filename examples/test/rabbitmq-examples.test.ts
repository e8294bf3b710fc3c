import { DeadLetterHeaders, type InMemoryMessageBroker } from '@cqrs/core';
import { main as consume } from '../src/rabbitmq/protobuf-consumer';
import { main as produce } from '../src/rabbitmq/protobuf-producer';
import { inMemoryBroker } from '../src/rabbitmq/transport';

const options = { url: undefined, registry: false, topic: 'user_events_proto' } as const;

beforeAll(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

test('with no AMQP_URL the producer and consumer examples run end to end on the in-memory broker', async () => {
  await expect(produce(options)).resolves.toEqual(['123', '456']);
  const broker: InMemoryMessageBroker = inMemoryBroker();
  const records = broker.records('user_events_proto');
  expect(records).toHaveLength(2);
  expect(records[0]!.headers).toMatchObject({ 'content-type': 'application/x-protobuf', 'x-protobuf-message-type': 'cqrs.example.v1.UserCreated', message_name: 'user_created' });

  // A poison message and a too-short one the custom decoder skips.
  broker.append('user_events_proto', { value: new Uint8Array(Array.from({ length: 16 }, () => 0xff)) });
  broker.append('user_events_proto', { value: new Uint8Array([1, 2, 3]) });

  const events = await consume(options);
  expect(events.map((event) => [event.payload.userId, event.payload.email, event.payload.name])).toEqual([
    ['123', 'user@example.com', 'John Doe'],
    ['456', 'jane@example.com', 'Jane Doe'],
  ]);
  expect(events.every((event) => event.topic === 'user_events_proto' && event.eventName === 'user_created')).toBe(true);
  const dead = broker.records('user_events_proto.dlq');
  expect(dead).toHaveLength(1);
  expect(dead[0]!.value).toHaveLength(16);
  expect(dead[0]!.headers[DeadLetterHeaders.errorType]).toMatch(/^DeserializeProtobufError/);
});
