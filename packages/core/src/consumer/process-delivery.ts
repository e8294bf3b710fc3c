import { isDeserializeError } from '../serde/deserialize-error';
import type { Decoded } from '../serde/value-deserializer';
import { isPromise } from '../transport/is-promise';
import type { ConsumedMessage } from './consumed-message';
import { SKIP_MESSAGE } from './message-handler';
import type { Subscription } from './subscription';

/** How a delivery ended: acked (or skipped by the decoder), or nacked with the reason. */
export type DeliveryOutcome = { readonly kind: 'ack' } | { readonly kind: 'skip' } | { readonly kind: 'nack'; readonly error: unknown };

/** The fields of a received message; `processDelivery` adds `ack` and `nack`. */
export type ReceivedMessage<M extends ConsumedMessage> = Omit<M, 'ack' | 'nack'>;

const ACK: DeliveryOutcome = Object.freeze({ kind: 'ack' });
const SKIP: DeliveryOutcome = Object.freeze({ kind: 'skip' });

/**
 * Runs one delivery through a subscription, transport-agnostic: decode (through the custom
 * decoder when there is one), call the handler with `(body, msg)`, and report what it decided.
 * The first `ack()`/`nack()` wins; returning without deciding acks; throwing nacks. Never
 * throws or rejects: transports apply the outcome (commit, retry, dead-letter).
 *
 * `received` must be a fresh object of the transport's: it becomes the handler's `msg`, with
 * `ack` and `nack` set on it (copying it costs more than the rest of the call). The outcome
 * is a plain value when the deserializer and the handler answered synchronously, so a hot
 * loop awaits only what is really asynchronous.
 */
export function processDelivery<E, M extends ConsumedMessage>(received: ReceivedMessage<M>, subscription: Subscription<E, M>): DeliveryOutcome | Promise<DeliveryOutcome> {
  let decided: DeliveryOutcome | undefined;
  let body: Decoded<E> = null;
  const msg = received as { -readonly [K in keyof M]: M[K] };
  msg.ack = async (): Promise<void> => {
    decided ??= ACK;
  };
  msg.nack = async (error?: unknown): Promise<void> => {
    decided ??= { kind: 'nack', error: error ?? (isDeserializeError(body) ? body : new Error('message was nacked by its handler')) };
  };
  const failed = (error: unknown): DeliveryOutcome => decided ?? { kind: 'nack', error };
  const handled = (): DeliveryOutcome => decided ?? ACK;
  const handle = (decoded: Decoded<E> | typeof SKIP_MESSAGE): DeliveryOutcome | Promise<DeliveryOutcome> => {
    if (decoded === SKIP_MESSAGE) return SKIP;
    body = decoded;
    const result = subscription.handler(body, msg);
    return isPromise(result) ? Promise.resolve(result).then(handled, failed) : handled();
  };
  try {
    // Deserializers answer synchronously once warm: no wrapper and no await for those.
    const decoded =
      subscription.decoder === undefined
        ? subscription.valueDeserializer.deserialize(msg.value, { topic: msg.topic, headers: msg.headers })
        : subscription.decoder(msg, async (m: ConsumedMessage): Promise<Decoded<E>> => subscription.valueDeserializer.deserialize(m.value, { topic: m.topic, headers: m.headers }));
    // A handler throwing synchronously lands in this catch, or in the promise's.
    return isPromise(decoded) ? Promise.resolve(decoded).then(handle).catch(failed) : handle(decoded);
  } catch (error) {
    return failed(error);
  }
}
