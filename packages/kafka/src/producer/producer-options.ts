import type { KafkaConnectionOptions } from '../connection/connection-options';

/** Compression of produced batches; `gzip` is built in, the others need a kafkajs codec registered. */
export type KafkaCompression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** The defaults of `KafkaProducerOptions` the adapter applies itself (kafkajs applies the timeouts). */
export const kafkaProducerDefaults = Object.freeze({ acks: 'all', idempotent: false, compression: 'none', allowAutoTopicCreation: true } as const);

/**
 * Options of `KafkaProducerAdapter` [KafkaProducerAdapter(...)]: the connection (with
 * `connectionRetry` for connects and sends) and how records are produced. The value
 * serializer belongs to `KafkaMessageBroker`: the adapter deals in bytes.
 */
export interface KafkaProducerOptions extends KafkaConnectionOptions {
  /** Replicas that must have a record before the send resolves: `all` (-1), 1 (leader only) or 0 (fire and forget). @default 'all' */
  readonly acks?: 'all' | -1 | 0 | 1;
  /** No duplicates from retried sends (Kafka's idempotent producer); needs `acks: 'all'`. @default false */
  readonly idempotent?: boolean;
  /** @default 'none' */
  readonly compression?: KafkaCompression;
  /** Time the broker may take to gather the acks of one produce request. @default 30_000 (kafkajs) */
  readonly ackTimeoutMs?: number;
  /** Produce requests in flight per broker connection; default unlimited (1 with `idempotent`: kafkajs needs it for ordering). */
  readonly maxInFlightRequests?: number;
  /** Let a send to a missing topic create it when the broker allows. @default true */
  readonly allowAutoTopicCreation?: boolean;
}
