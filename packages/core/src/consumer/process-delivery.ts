import { isDeserializeError } from '../serde/deserialize-error';
import type { Decoded } from '../serde/value-deserializer';
import type { ConsumedMessage } from './consumed-message';
import { SKIP_MESSAGE } from './message-handler';
import type { Subscription } from './subscription';

/** How a delivery ended: acked (or skipped by the decoder), or nacked with the reason. */
export type DeliveryOutcome = { readonly kind: 'ack' } | { readonly kind: 'skip' } | { readonly kind: 'nack'; readonly error: unknown };

/** The fields of a received message; `processDelivery` adds `ack` and `nack`. */
export type ReceivedMessage<M extends ConsumedMessage> = Omit<M, 'ack' | 'nack'>;

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

const ACK: DeliveryOutcome = Object.freeze({ kind: 'ack' });
const SKIP: DeliveryOutcome = Object.freeze({ kind: 'skip' });

/**
 * Runs one delivery through a subscription, transport-agnostic: decode (through the custom
 * decoder when there is one), call the handler with `(body, msg)`, and report what it decided.
 * The first `ack()`/`nack()` wins; returning without deciding acks; throwing nacks. Never
 * throws: transports apply the outcome (commit, retry, dead-letter).
 */
export async function processDelivery<E, M extends ConsumedMessage>(received: ReceivedMessage<M>, subscription: Subscription<E, M>): Promise<DeliveryOutcome> {
  let decided: DeliveryOutcome | undefined;
  let body: Decoded<E> = null;
  // ack/nack come before the spread: V8 builds `{ ...received, ack, nack }` on a slow path
  // (microseconds per message), while this order costs a fraction of that.
  const msg = {
    ack: async (): Promise<void> => {
      decided ??= ACK;
    },
    nack: async (error?: unknown): Promise<void> => {
      decided ??= { kind: 'nack', error: error ?? (isDeserializeError(body) ? body : new Error('message was nacked by its handler')) };
    },
    ...received,
  } as M;
  try {
    let decoded: Decoded<E> | typeof SKIP_MESSAGE;
    if (subscription.decoder === undefined) {
      // Deserializers answer synchronously once warm: no wrapper and no await for those.
      const value = subscription.valueDeserializer.deserialize(msg.value, { topic: msg.topic, headers: msg.headers });
      decoded = isPromise(value) ? await value : value;
    } else {
      const decode = async (m: ConsumedMessage): Promise<Decoded<E>> => subscription.valueDeserializer.deserialize(m.value, { topic: m.topic, headers: m.headers });
      decoded = await subscription.decoder(msg, decode);
    }
    if (decoded === SKIP_MESSAGE) return SKIP;
    body = decoded;
    await subscription.handler(body, msg);
    return decided ?? ACK;
  } catch (error) {
    return decided ?? { kind: 'nack', error };
  }
}
