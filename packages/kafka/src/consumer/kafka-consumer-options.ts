import type { RetryPolicy } from '@cqrs/core';
import type { KafkaConnectionOptions, KafkaRetryOptions } from '../connection/connection-options';
import type { KafkaProducerAdapter } from '../producer/kafka-producer-adapter';

/** Options of `KafkaConsumer`: the connection (as for the producer) and the group's behaviour. */
export interface KafkaConsumerOptions extends KafkaConnectionOptions {
  /** Consumer group [group_id]: members share the partitions, and commits are per group. */
  readonly groupId: string;
  /** With no committed offset yet, start at the oldest record [auto_offset_reset="earliest"] instead of the newest; default true. */
  readonly fromBeginning?: boolean;
  /** How nacked messages are retried before dead-lettering; default 3 attempts, exponential backoff from 100 ms. */
  readonly retry?: RetryPolicy;
  /** Retries of the client's own connects, fetches and commits (not of handlers: see `retry`). */
  readonly clientRetry?: KafkaRetryOptions;
  /** Dead-letter topic of a source topic; default `<topic>.dlq`. */
  readonly deadLetterTopic?: (topic: string) => string;
  /** Publishes dead letters; default a producer on the same connection, closed with the consumer. */
  readonly deadLetterProducer?: KafkaProducerAdapter;
  /** Partitions handled at once; records of one partition always go one at a time, in order. Default 1. */
  readonly partitionsConsumedConcurrently?: number;
  /** Stop gracefully on SIGTERM and SIGINT; default false. */
  readonly handleSignals?: boolean;
  /** Longest time between commits while a batch is being handled; every batch also commits when done. Default 1 s. */
  readonly commitIntervalMs?: number;
  /** The group drops a member silent this long [session.timeout.ms]; default 30 s (the broker's minimum is usually 6 s). */
  readonly sessionTimeoutMs?: number;
  /** Heartbeat period [heartbeat.interval.ms]; default 3 s. */
  readonly heartbeatIntervalMs?: number;
  /** Time members get to rejoin during a rebalance; default 60 s. */
  readonly rebalanceTimeoutMs?: number;
  /** Most bytes fetched per partition and request; default 1 MiB. */
  readonly maxBytesPerPartition?: number;
  /** Longest a fetch waits for new records; default 5 s (also bounds how long `stop()` may wait for an idle fetch). */
  readonly maxWaitTimeMs?: number;
}
