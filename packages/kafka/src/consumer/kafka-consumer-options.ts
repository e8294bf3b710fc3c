import type { ConsumerOptions } from '@cqrs/core';
import type { KafkaConnectionOptions } from '../connection/connection-options';
import type { KafkaProducerAdapter } from '../producer/kafka-producer-adapter';

/**
 * Options of `KafkaConsumer`: the connection (as for the producer, `connectionRetry` included),
 * what every consumer takes (`retry`, `deadLetterTopic`, `handleSignals`, `interceptors`,
 * `logger`), and the group's behaviour.
 */
export interface KafkaConsumerOptions extends KafkaConnectionOptions, ConsumerOptions {
  /** Consumer group [group_id]: members share the partitions, and commits are per group. */
  readonly groupId: string;
  /** With no committed offset yet, start at the oldest record [auto_offset_reset="earliest"] instead of the newest. @default true */
  readonly fromBeginning?: boolean;
  /** Publishes dead letters. @default a producer on the same connection, closed with the consumer */
  readonly deadLetterProducer?: KafkaProducerAdapter;
  /** Partitions handled at once; records of one partition always go one at a time, in order. @default 1 */
  readonly partitionsConsumedConcurrently?: number;
  /** Longest time between commits while a batch is being handled; every batch also commits when done. @default 1000 */
  readonly commitIntervalMs?: number;
  /** The group drops a member silent this long [session.timeout.ms]; the broker's minimum is usually 6 s. @default 30_000 */
  readonly sessionTimeoutMs?: number;
  /** Heartbeat period [heartbeat.interval.ms]. @default 3000 */
  readonly heartbeatIntervalMs?: number;
  /** Time members get to rejoin during a rebalance. @default 60_000 */
  readonly rebalanceTimeoutMs?: number;
  /** Most bytes fetched per partition and request. @default 1_048_576 */
  readonly maxBytesPerPartition?: number;
  /** Longest a fetch waits for new records (also bounds how long `stop()` may wait for an idle fetch). @default 5000 */
  readonly maxWaitTimeMs?: number;
  /**
   * How long `start()` waits for a subscribed topic that does not exist yet before it fails with
   * `KafkaMissingTopicError` (a core `SubscriptionError`). @default 30_000
   */
  readonly startTimeoutMs?: number;
  /**
   * Creates missing subscribed topics on `start()` instead of waiting for them: `true` for the
   * broker's default partitions and replication, or the numbers to use. @default false
   */
  readonly createTopics?: boolean | KafkaTopicSettings;
}

/** Partitions and replication of a topic the consumer creates (`createTopics`). */
export interface KafkaTopicSettings {
  /** @default the broker's num.partitions */
  readonly partitions?: number;
  /** @default the broker's default.replication.factor */
  readonly replicationFactor?: number;
}

/** The defaults of `KafkaConsumerOptions` the consumer applies itself (kafkajs applies the others, as documented). */
export const kafkaConsumerDefaults = Object.freeze({ fromBeginning: true, partitionsConsumedConcurrently: 1, commitIntervalMs: 1000, handleSignals: false, logLevel: 'warn', startTimeoutMs: 30_000, createTopics: false } as const);
