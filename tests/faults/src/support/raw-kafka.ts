import { Kafka, logLevel } from 'kafkajs';
import { unique, waitFor } from '@cqrs/test-fixtures';

/** A plain kafkajs client for setup and checks around the code under test. */
export function rawKafka(brokers: string): Kafka {
  return new Kafka({ brokers: brokers.split(','), clientId: 'fault-test', logLevel: logLevel.NOTHING });
}

/** Waits until a metadata request to `brokers` succeeds again, e.g. after a restart. */
export async function waitForKafka(brokers: string): Promise<void> {
  await waitFor(async () => {
    const admin = rawKafka(brokers).admin();
    try {
      await admin.connect();
      await admin.listTopics();
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }, `Kafka at ${brokers} to answer`, 90_000, 500);
}

/**
 * The number of records on `topic` (sum of its partitions' end offsets). Asks again for a while
 * when it fails: right after a restart a partition may have no leader yet, and kafkajs'
 * `fetchTopicOffsets` gives up on that at once.
 */
export async function recordCount(brokers: string, topic: string): Promise<number> {
  const admin = rawKafka(brokers).admin();
  await admin.connect();
  let count = 0;
  let lastError: unknown;
  try {
    await waitFor(
      async () => {
        try {
          const offsets = await admin.fetchTopicOffsets(topic);
          count = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
          return true;
        } catch (error) {
          lastError = error;
          return false;
        }
      },
      () => `the offsets of ${topic} (last error: ${String(lastError)})`,
      30_000,
      250,
    );
  } finally {
    await admin.disconnect();
  }
  return count;
}

/** Every record value on `topic`, read from the beginning by a group of its own. */
export async function readValues(brokers: string, topic: string): Promise<Buffer[]> {
  const expected = await recordCount(brokers, topic);
  const consumer = rawKafka(brokers).consumer({ groupId: unique('fault-reader'), maxWaitTimeInMs: 200 });
  const values: Buffer[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void (message.value && values.push(message.value)) });
    await waitFor(() => values.length >= expected, () => `${expected} records on ${topic}, have ${values.length}`, 60_000);
  } finally {
    await consumer.disconnect();
  }
  return values;
}
