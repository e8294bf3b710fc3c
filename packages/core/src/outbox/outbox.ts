import type { Message } from '../brokers/message';

/**
 * Where a handler's notification events go when they must commit with the handler's own
 * writes [OutboxedEventRepository]: `save` stores them in the transaction of the current unit
 * of work, and a relay (or Debezium) publishes them after the commit. `bootstrap({ outbox })`
 * sends every notification event here instead of to a message broker.
 */
export interface Outbox {
  /** Stores `messages` in the current transaction; rejects when there is none, so nothing is published outside one. */
  save(messages: readonly Message[]): Promise<void>;
}
