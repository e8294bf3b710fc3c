import type { ValueSerializer } from '@cqrs/core';
import type { KafkaConnectionOptions, KafkaRetryOptions } from '../connection/connection-options';

/** Compression of produced batches; `gzip` is built in, the others need a kafkajs codec registered. */
export type KafkaCompression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** Options of `KafkaProducerAdapter` [KafkaProducerAdapter(...)]. */
export interface KafkaProducerOptions extends KafkaConnectionOptions {
  /** How message payloads become bytes [value_serializer]; core JSON by default, `protobufValueSerializer` for Protobuf. */
  readonly valueSerializer?: ValueSerializer;
  /** Replicas that must have a record before the send resolves: `all` (default, -1), 1 (leader only) or 0 (fire and forget). */
  readonly acks?: 'all' | -1 | 0 | 1;
  /** No duplicates from retried sends (Kafka's idempotent producer); needs `acks: 'all'`. Default false. */
  readonly idempotent?: boolean;
  /** Default `none`. */
  readonly compression?: KafkaCompression;
  /** Time the broker may take to gather the acks of one produce request; default 30 s. */
  readonly ackTimeoutMs?: number;
  /** Produce requests in flight per broker connection; default unlimited (1 with `idempotent`: kafkajs needs it for ordering). */
  readonly maxInFlightRequests?: number;
  /** Retries of connects and sends (exponential backoff with jitter); a send fails with a typed error after the last. */
  readonly retry?: KafkaRetryOptions;
  /** Let a send to a missing topic create it when the broker allows; default true. */
  readonly allowAutoTopicCreation?: boolean;
}
