import { JsonValueDeserializer, messageFromEvent, silentLogger } from '@cqrs/core';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { UserCreatedEvent, unique, waitFor } from '@cqrs/test-fixtures';
import { plaintext } from './support/kafka-env';
import { createTopic } from './support/raw-kafka';

// jest reads testTimeout only from the root config, not from a project's: set it here.
jest.setTimeout(60_000);

describe('per-key order', () => {
  test('holds across batches and concurrently consumed partitions', async () => {
    const topic = unique('user_events_order');
    await createTopic(topic, 3);
    const keys = Array.from({ length: 8 }, (_, i) => `user-${i}`);
    const perKey = 50;
    // Interleaved keys, with the sequence number in the name: user-3 #0, user-4 #0, ..., user-3 #1, ...
    const events = Array.from({ length: perKey }, (_, seq) =>
      keys.map((key) => new UserCreatedEvent({ eventName: 'user_created', topic, key, payload: { userId: key, email: `${key}@example.com`, name: String(seq) } })),
    ).flat();
    const producer = new KafkaProducerAdapter({ ...plaintext(), idempotent: true });
    const broker = new KafkaMessageBroker({ producer });
    for (let i = 0; i < events.length; i += 64) await broker.sendMessages(events.slice(i, i + 64).map((event) => messageFromEvent(event)));
    await broker.close();

    const seen = new Map<string, number[]>(keys.map((key) => [key, []]));
    const partitionsOfKey = new Map<string, Set<number>>(keys.map((key) => [key, new Set()]));
    let total = 0;
    const consumer = new KafkaConsumer({ ...plaintext(), groupId: unique('order-group'), partitionsConsumedConcurrently: 3, maxWaitTimeMs: 200, maxBytesPerPartition: 4096, logger: silentLogger });
    consumer.subscribe({ topics: [topic], valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, async (body, msg) => {
      if (!(body instanceof UserCreatedEvent)) throw new Error('unexpected record');
      // Yield so partitions interleave for real.
      await new Promise((resolve) => setImmediate(resolve));
      seen.get(body.payload.userId)?.push(Number(body.payload.name));
      partitionsOfKey.get(body.payload.userId)?.add(msg.partition);
      total += 1;
    });
    await consumer.start();
    try {
      await waitFor(() => total >= events.length, () => `${events.length} records, have ${total}`);
    } finally {
      await consumer.stop();
    }
    const expected = Array.from({ length: perKey }, (_, i) => i);
    for (const key of keys) {
      expect({ key, order: seen.get(key) }).toEqual({ key, order: expected });
      expect({ key, partitions: partitionsOfKey.get(key)?.size }).toEqual({ key, partitions: 1 });
    }
    expect(new Set(keys.map((key) => [...(partitionsOfKey.get(key) ?? [])][0])).size).toBeGreaterThan(1);
  });
});
