import { DeadLetterHeaders, StandardHeaders } from '@cqrs/core';
import { toKafkaConfig } from '@cqrs/kafka/transport';
import { main as completeConsumer } from '../src/kafka/complete-consumer';
import { main as completeProducer } from '../src/kafka/complete-producer';
import { main as customDecoder, skipped } from '../src/kafka/custom-decoder';
import { main as directPublishing } from '../src/kafka/direct-publishing';
import { main as errorHandling } from '../src/kafka/error-handling';
import { main as everyFieldKind } from '../src/kafka/every-field-kind';
import { main as consumer } from '../src/kafka/protobuf-consumer';
import { main as producer } from '../src/kafka/protobuf-producer';
import { inMemoryBroker } from '../src/kafka/settings';
import { main as sslProducer, sslProducerOptions } from '../src/kafka/ssl-producer';

// Without KAFKA_BROKERS (forced here, whatever the environment says) every example runs in memory.
const memory = (topic: string) => ({ brokers: undefined, topic }) as const;

beforeAll(() => {
  for (const method of ['log', 'info', 'warn', 'error'] as const) jest.spyOn(console, method).mockImplementation(() => undefined);
});

afterAll(() => {
  jest.restoreAllMocks();
});

test('the producers publish Confluent-framed Protobuf with the standard headers and the key', async () => {
  const topic = 'kafka-examples-producers';
  await expect(producer(memory(topic))).resolves.toBe('123');
  const direct = await directPublishing(memory(topic));
  const secure = await sslProducer(memory(topic));
  const records = inMemoryBroker().records(topic);
  expect(records).toHaveLength(3);
  for (const record of records) {
    expect(record.headers).toMatchObject({ 'content-type': 'application/x-protobuf', [StandardHeaders.messageName]: 'user_created' });
    expect(record.value?.[0]).toBe(0);
  }
  expect(records.map((record) => record.key)).toEqual(['123', undefined, '789']);
  expect(records.map((record) => record.headers[StandardHeaders.messageId]).slice(1)).toEqual([direct, secure]);
});

test('the SSL producer maps to SASL_SSL with SCRAM-SHA-256 and the CA from the environment', () => {
  const options = sslProducerOptions({ KAFKA_SASL_BROKERS: 'k:9094', KAFKA_SASL_USERNAME: 'cqrs', KAFKA_SASL_PASSWORD: 'pw' });
  const config = toKafkaConfig(options);
  expect(config.brokers).toEqual(['k:9094']);
  expect(config.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'cqrs', password: 'pw' });
  expect(config.ssl).toEqual({});
});

test('the consumer example hands the published events to its EventMediator', async () => {
  const topic = 'kafka-examples-consumer';
  await producer(memory(topic));
  await directPublishing(memory(topic));
  const events = await consumer(memory(topic));
  expect(events.map((event) => [event.payload.userId, event.payload.email, event.topic, event.eventName])).toEqual([
    ['123', 'user@example.com', topic, 'user_created'],
    ['123', 'user@example.com', topic, 'user_created'],
  ]);
});

test('the error-handling example acks empty messages and dead-letters bad bytes untouched', async () => {
  const topic = 'kafka-examples-errors';
  const broker = inMemoryBroker();
  await producer(memory(topic));
  const garbage = new Uint8Array(Array.from({ length: 16 }, () => 0xff));
  broker.append(topic, { value: garbage, headers: { origin: 'garbage' } });
  broker.append(topic, { value: new Uint8Array(0) });
  const report = await errorHandling(memory(topic));
  expect(report.handled.map((event) => event.payload.userId)).toEqual(['123']);
  expect(report.deserializationErrors).toBe(1);
  expect(report.empty).toBe(1);
  const dead = broker.records(`${topic}.dlq`);
  expect(dead).toHaveLength(1);
  expect([...(dead[0]?.value ?? [])]).toEqual([...garbage]);
  expect(dead[0]?.headers).toMatchObject({ origin: 'garbage', [DeadLetterHeaders.sourceTopic]: topic, [DeadLetterHeaders.attempts]: '1' });
});

test('the custom decoder skips empty and too-short messages before decoding', async () => {
  const topic = 'kafka-examples-decoder';
  const broker = inMemoryBroker();
  broker.append(topic, { value: new Uint8Array(0) });
  broker.append(topic, { value: new Uint8Array([0, 0, 0]) });
  await producer(memory(topic));
  const before = skipped.length;
  const events = await customDecoder(memory(topic));
  expect(events.map((event) => event.payload.userId)).toEqual(['123']);
  expect(skipped.slice(before).map((msg) => msg.value?.byteLength)).toEqual([0, 3]);
  expect(broker.records(`${topic}.dlq`)).toHaveLength(0);
});

test('the complete producer and consumer run end to end', async () => {
  const topic = 'kafka-examples-complete';
  const eventId = await completeProducer(memory(topic));
  const events = await completeConsumer(memory(topic));
  expect(events.map((event) => [event.eventId, event.payload])).toEqual([[eventId, { userId: '123', email: 'user@example.com', name: 'John Doe' }]]);
});

test('the every-field-kind example carries each kind of field through the broker and back', async () => {
  const { sent, received } = await everyFieldKind(memory('kafka-examples-every-field-kind'));
  expect(received).toHaveLength(1);
  const [event] = received;
  expect(event!.eventId).toBe(sent.eventId);
  expect(event!.eventTimestamp).toEqual(sent.eventTimestamp);
  expect(event!.payload).toEqual(sent.payload);
  expect(event!.payload.placedAt).toBeInstanceOf(Date);
  expect(event!.payload.amountMicros).toBe(2n ** 53n + 1n);
  expect(event!.payload.discountMicros).toBeNull();
});
