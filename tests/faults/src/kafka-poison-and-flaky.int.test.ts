import { createHash } from 'node:crypto';
import { JsonValueDeserializer, isDeserializeError, jsonValueSerializer, messageFromEvent, retryPolicy, silentLogger } from '@cqrs/core';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { createKafkaTopic, unique, UserCreatedEvent, waitFor } from '@cqrs/test-fixtures';
import { EventLedger } from './support/ledger';
import { rawKafka, readValues } from './support/raw-kafka';
import { userEvents } from './support/user-events';

jest.setTimeout(180_000);

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

/** A number in [0, 1) from `text`, the same on every run. */
function chance(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

test('a poison flood: half the records are bad bytes; each lands in the DLQ byte for byte, every good one is handled, the consumer keeps running', async () => {
  const topic = unique('fault_poison_flood');
  await createKafkaTopic(brokers, topic, 3);
  const ledger = new EventLedger('poison flood, half of 1000 records bad');
  const good = userEvents(topic, 500, 30);
  const serializer = jsonValueSerializer;
  const poison = Array.from({ length: 500 }, (_, i) => {
    const kind = i % 4;
    if (kind === 0) return Buffer.from(`{"not": "an event", "n": ${i}}`);
    if (kind === 1) return createHash('sha256').update(`garbage ${i}`).digest();
    if (kind === 2) return Buffer.from(`{"event_id": "${i}", truncated`);
    return Buffer.from(JSON.stringify({ event_id: `bad-${i}`, event_name: 'user_created', topic, payload: { userId: '' } }));
  });
  const producer = rawKafka(brokers).producer();
  await producer.connect();
  try {
    const messages = [];
    for (let i = 0; i < 500; i += 1) {
      const event = good[i] as UserCreatedEvent;
      const encoded = await serializer.serialize(messageFromEvent(event));
      messages.push({ key: event.key ?? null, value: Buffer.from(encoded.value) });
      messages.push({ key: `poison-${i % 30}`, value: poison[i] as Buffer });
      ledger.sent(event.eventId);
      ledger.acknowledged(event.eventId);
    }
    for (let i = 0; i < messages.length; i += 100) await producer.send({ topic, messages: messages.slice(i, i + 100) });
  } finally {
    await producer.disconnect();
  }

  const consumer = new KafkaConsumer({ bootstrapServers: brokers, groupId: unique('fault-poison-group'), logger: silentLogger, maxWaitTimeMs: 200, partitionsConsumedConcurrently: 3 });
  let decodeErrors = 0;
  consumer.subscribe({ topics: [topic], valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, async (body, msg) => {
    if (isDeserializeError(body) || body === null) {
      decodeErrors += 1;
      return msg.nack();
    }
    ledger.handled(body.eventId);
  });
  await consumer.start();
  try {
    await waitFor(() => ledger.handledIds.size === good.length && decodeErrors >= poison.length, () => `the flood (handled ${ledger.handledIds.size}, bad ${decodeErrors})`, 120_000);
    // Still alive after the flood.
    const after = userEvents(topic, 1);
    ledger.sent((after[0] as UserCreatedEvent).eventId);
    ledger.acknowledged((after[0] as UserCreatedEvent).eventId);
    const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: brokers, logger: silentLogger }) });
    await broker.sendMessages(after.map((event) => messageFromEvent(event)));
    await broker.close();
    await waitFor(() => ledger.handledIds.has((after[0] as UserCreatedEvent).eventId), 'a good record after the flood');
  } finally {
    await consumer.stop();
  }
  const dead = (await readValues(brokers, `${topic}.dlq`)).map((value) => value.toString('hex')).sort();
  expect(dead).toEqual(poison.map((value) => value.toString('hex')).sort());
  expect(ledger.counts()).toMatchObject({ handled: 501, lost: 0 });
});

test('a flaky handler fails 30% of its attempts: every record is handled in the end, in order per key', async () => {
  const topic = unique('fault_flaky');
  await createKafkaTopic(brokers, topic, 3);
  const ledger = new EventLedger('flaky handler, 30% of attempts fail');
  const keys = Array.from({ length: 8 }, (_, i) => `user-${i}`);
  const events = Array.from({ length: 40 }, (_, seq) =>
    keys.map((key) => new UserCreatedEvent({ eventName: 'user_created', topic, key, payload: { userId: key, email: `${key}@example.com`, name: String(seq) } })),
  ).flat();
  const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: brokers, logger: silentLogger, idempotent: true }) });
  await broker.sendMessages(events.map((event) => messageFromEvent(event)));
  await broker.close();
  ledger.published(events);

  const order = new Map<string, number[]>(keys.map((key) => [key, []]));
  let failures = 0;
  const consumer = new KafkaConsumer({
    bootstrapServers: brokers,
    groupId: unique('fault-flaky-group'),
    logger: silentLogger,
    maxWaitTimeMs: 200,
    partitionsConsumedConcurrently: 3,
    // 0.3^12: no record is expected to exhaust its attempts.
    retry: retryPolicy({ maxAttempts: 12, backoff: () => 2 }),
  });
  consumer.subscribe({ topics: [topic], valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, async (body, msg) => {
    if (!(body instanceof UserCreatedEvent)) throw new Error('unexpected record');
    if (chance(`${body.eventId}:${msg.attempt}`) < 0.3) {
      failures += 1;
      throw new Error(`flaky failure of ${body.eventId} on attempt ${msg.attempt}`);
    }
    ledger.handled(body.eventId);
    order.get(body.payload.userId)?.push(Number(body.payload.name));
  });
  await consumer.start();
  try {
    await waitFor(() => ledger.handledIds.size === events.length, () => `every record (have ${ledger.handledIds.size})`, 120_000);
  } finally {
    await consumer.stop();
  }
  expect(failures).toBeGreaterThan(0);
  expect(ledger.counts()).toMatchObject({ handled: events.length, lost: 0 });
  for (const key of keys) expect(order.get(key)).toEqual(Array.from({ length: 40 }, (_, seq) => seq));
});
