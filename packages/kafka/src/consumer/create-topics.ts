import type { Admin, KafkaConfig } from 'kafkajs';
import type { KafkaTopicSettings } from './kafka-consumer-options';

/** The part of a kafkajs admin client `createMissingTopics` uses. */
export type AdminLike = Pick<Admin, 'connect' | 'disconnect' | 'createTopics'>;

/** Builds the kafkajs admin client; replaceable for tests. */
export type CreateKafkaAdmin = (config: KafkaConfig) => AdminLike;

/**
 * Creates those of `topics` that do not exist yet (existing ones are left alone), with
 * `settings` or the broker's defaults. It does not wait for them: kafkajs' `waitForLeaders`
 * fails when a broker answers `UNKNOWN_TOPIC_OR_PARTITION` for a topic it has just created,
 * and the subscribe that follows already waits for the topics to exist.
 */
export async function createMissingTopics(admin: AdminLike, topics: readonly string[], settings: KafkaTopicSettings): Promise<void> {
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: false,
      // -1 asks the broker for its num.partitions / default.replication.factor.
      topics: topics.map((topic) => ({ topic, numPartitions: settings.partitions ?? -1, replicationFactor: settings.replicationFactor ?? -1 })),
    });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
