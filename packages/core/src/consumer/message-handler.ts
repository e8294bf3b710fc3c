import type { Decoded } from '../serde/value-deserializer';
import type { ConsumedMessage } from './consumed-message';

/**
 * A subscriber's handler: gets the decoded body (event, typed error, or `null` for an empty
 * message) and the message to `ack()` or `nack()`.
 */
export type MessageHandler<E, M extends ConsumedMessage = ConsumedMessage> = (body: Decoded<E>, msg: M) => Promise<void> | void;

/** Returned by a decoder to skip a message: it is acked and the handler is not called. */
export const SKIP_MESSAGE: unique symbol = Symbol.for('@cqrs/core/SKIP_MESSAGE');

/**
 * A custom decoder [decoder=...]: sees the raw message first and either calls `decode` (the
 * configured value deserializer), returns its own result, or returns `SKIP_MESSAGE`.
 * `decode` accepts any `ConsumedMessage`, so one decoder written for `ConsumedMessage` fits
 * every consumer (in-memory, Kafka, RabbitMQ).
 */
export type MessageDecoder<E, M extends ConsumedMessage = ConsumedMessage> = (
  msg: M,
  decode: (msg: ConsumedMessage) => Promise<Decoded<E>>,
) => Promise<Decoded<E> | typeof SKIP_MESSAGE> | Decoded<E> | typeof SKIP_MESSAGE;
