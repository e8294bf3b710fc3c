import type { ConsumedMessage } from '@cqrs/core';

/** One Kafka record as a handler sees it [faststream.kafka.KafkaMessage]. */
export interface KafkaConsumedMessage extends ConsumedMessage {
  readonly partition: number;
  /** The record's offset in its partition, as a decimal string (it may exceed 2^53). */
  readonly offset: string;
  /** When the record was produced or appended, milliseconds since the epoch as a string. */
  readonly timestamp: string;
}
