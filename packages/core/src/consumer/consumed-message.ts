/**
 * One message as a consumer's handler sees it [KafkaMessage / RabbitMessage]. `ack()` marks it
 * done; `nack()` hands it back for another attempt, and after the last attempt to the
 * dead-letter destination. Deciding twice is a no-op; a handler that returns without deciding
 * acks, one that throws nacks. Both are methods: call `msg.ack()`, not a detached `ack()`.
 */
export interface ConsumedMessage {
  readonly topic: string;
  readonly key: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** The raw bytes as received; `null` for an empty (tombstone) message. */
  readonly value: Uint8Array | null;
  /** 1 on first delivery, then 2, 3, ... on redelivery. */
  readonly attempt: number;
  ack(): Promise<void>;
  /** Rejects the message; `error` is recorded in the dead-letter headers if it ends there. */
  nack(error?: unknown): Promise<void>;
}
