import { Kafka, logLevel, Partitioners, type IHeaders, type KafkaMessage } from 'kafkajs';
import { createKafkaTopic, unique, waitFor } from '@cqrs/test-fixtures';
import { kafkaEnv } from './kafka-env';

/** A plain kafkajs client on the PLAINTEXT listener, for setup and checks around the code under test. */
export function rawKafka(): Kafka {
  return new Kafka({ brokers: kafkaEnv.brokers.split(','), clientId: 'kafka-int-test', logLevel: logLevel.ERROR });
}

/** Creates `topic` with `partitions` partitions and waits until its leaders are known. */
export function createTopic(topic: string, partitions: number): Promise<void> {
  return createKafkaTopic(kafkaEnv.brokers, topic, partitions);
}

/** Publishes raw bytes as they are, in order, to one partition (for poison records). */
export async function publishRaw(topic: string, records: readonly { value: Buffer | null; key?: string; headers?: IHeaders }[], partition = 0): Promise<void> {
  const producer = rawKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, messages: records.map((r) => ({ ...r, partition })) });
  } finally {
    await producer.disconnect();
  }
}

/** A record read back by `readTopic`. */
export interface ReadRecord {
  readonly partition: number;
  readonly message: KafkaMessage;
}

/** Reads `topic` from the beginning until `count` records arrived. */
export async function readTopic(topic: string, count: number): Promise<ReadRecord[]> {
  const consumer = rawKafka().consumer({ groupId: unique('reader'), maxWaitTimeInMs: 200 });
  const records: ReadRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ partition, message }) => void records.push({ partition, message }) });
    await waitFor(() => records.length >= count, () => `${count} records on ${topic}, have ${records.length}`);
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** The committed offsets of `groupId` on `topic`, by partition. */
export async function committedOffsets(groupId: string, topic: string): Promise<Record<number, string>> {
  const admin = rawKafka().admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Object.fromEntries((offsets?.partitions ?? []).map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}
