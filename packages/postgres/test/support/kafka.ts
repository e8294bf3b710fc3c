import { encodedValueSerializer } from '@cqrs/core';
import { KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { createKafkaTopic, unique } from '@cqrs/test-fixtures';

/** `scripts/services env`'s KAFKA_BROKERS, loopback default. */
export const kafkaBrokers = process.env.KAFKA_BROKERS?.trim() || '127.0.0.1:9092';

/** The broker a relay publishes with: stored bytes pass through unchanged. */
export function relayBroker(): KafkaMessageBroker {
  return new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: kafkaBrokers, logLevel: 'error' }), valueSerializer: encodedValueSerializer() });
}

/** A record as it arrived, headers decoded to strings. */
export interface Received {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
  readonly partition: number;
  readonly offset: string;
}

/** Creates a topic with `partitions` partitions. */
export function createTopic(topic: string, partitions = 3): Promise<void> {
  return createKafkaTopic(kafkaBrokers, topic, partitions);
}

/** Reads every record of `topic` from the beginning into `records`, with plain kafkajs, to count what the code under test published. */
export async function collect(topic: string): Promise<{ records: Received[]; stop: () => Promise<void> }> {
  const consumer: Consumer = new Kafka({ brokers: kafkaBrokers.split(','), logLevel: logLevel.ERROR }).consumer({ groupId: unique('pg-collect') });
  const records: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = String(value);
      records.push({ key: message.key === null ? null : message.key.toString('utf8'), value: message.value, headers, partition, offset: message.offset });
    },
  });
  return { records, stop: () => consumer.disconnect() };
}

/** How often each event id arrived. */
export function countById(records: readonly Received[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) {
    const id = record.headers.message_id ?? '';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
