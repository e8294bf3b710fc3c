import type { Admin, KafkaConfig } from 'kafkajs';
import type { KafkaTopicSettings } from './kafka-consumer-options';

/** The part of a kafkajs admin client `createMissingTopics` uses. */
export type AdminLike = Pick<Admin, 'connect' | 'disconnect' | 'createTopics'>;

/** Builds the kafkajs admin client; replaceable for tests. */
export type CreateKafkaAdmin = (config: KafkaConfig) => AdminLike;

/**
 * Creates those of `topics` that do not exist yet (existing ones are left alone), with
 * `settings` or the broker's defaults, and waits until the brokers know them.
 */
export async function createMissingTopics(admin: AdminLike, topics: readonly string[], settings: KafkaTopicSettings): Promise<void> {
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      // -1 asks the broker for its num.partitions / default.replication.factor.
      topics: topics.map((topic) => ({ topic, numPartitions: settings.partitions ?? -1, replicationFactor: settings.replicationFactor ?? -1 })),
    });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
