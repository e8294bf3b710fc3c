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

/** Where a message handed to a handler keeps its delivery, for the shared `ack` and `nack`. */
const DELIVERY = Symbol('cqrs.delivery');

/** A message being delivered: its own fields, the shared `ack`/`nack`, and its delivery. */
type Delivering = { [DELIVERY]: Delivery<unknown, ConsumedMessage> };

function deliveryOf(msg: unknown, method: string): Delivery<unknown, ConsumedMessage> {
  const delivery = (msg as Partial<Delivering> | undefined)?.[DELIVERY];
  if (delivery === undefined) throw new TypeError(`${method}() must be called on the message, as msg.${method}()`);
  return delivery;
}

// Shared by every delivery, reading it from `this`: a closure pair per message cost the Kafka
// consumer 3-4 µs of CPU a Protobuf record (of 16-17), far more than its allocation would.
async function ack(this: unknown): Promise<void> {
  deliveryOf(this, 'ack').decide(ACK);
}

async function nack(this: unknown, error?: unknown): Promise<void> {
  const delivery = deliveryOf(this, 'nack');
  delivery.decide({ kind: 'nack', error: error ?? (isDeserializeError(delivery.body) ? delivery.body : new Error('message was nacked by its handler')) });
}

/**
 * Runs one delivery through a subscription, transport-agnostic: decode (through the custom
 * decoder when there is one), call the handler with `(body, msg)`, and report what it decided.
 * The first `ack()`/`nack()` wins; returning without deciding acks; throwing nacks. Never
 * throws or rejects: transports apply the outcome (commit, retry, dead-letter).
 *
 * `received` must be a fresh object of the transport's: it becomes the handler's `msg`, with
 * `ack` and `nack` set on it (copying it costs more than the rest of the call). They are
 * methods: `msg.ack()`, not a detached `ack()`. The outcome is a plain value when the
 * deserializer and the handler answered synchronously, so a hot loop awaits only what is
 * really asynchronous.
 */
export function processDelivery<E, M extends ConsumedMessage>(received: ReceivedMessage<M>, subscription: Subscription<E, M>): DeliveryOutcome | Promise<DeliveryOutcome> {
  const msg = received as { -readonly [K in keyof M]: M[K] } & Delivering;
  const delivery = new Delivery<E, M>(msg, subscription);
  msg.ack = ack;
  msg.nack = nack;
  msg[DELIVERY] = delivery as unknown as Delivery<unknown, ConsumedMessage>;
  try {
    // Deserializers answer synchronously once warm: no wrapper and no await for those. The
    // message is the deserializer's context: it has the topic and the headers.
    const decoded =
      subscription.decoder === undefined
        ? subscription.valueDeserializer.deserialize(msg.value, msg)
        : subscription.decoder(msg, async (m: ConsumedMessage): Promise<Decoded<E>> => subscription.valueDeserializer.deserialize(m.value, m));
    // A handler throwing synchronously lands in this catch, or in the promise's.
    return isPromise(decoded)
      ? Promise.resolve(decoded)
          .then((ready) => delivery.handle(ready))
          .catch((error: unknown) => delivery.failed(error))
      : delivery.handle(decoded);
  } catch (error) {
    return delivery.failed(error);
  }
}

/**
 * One delivery's state: what the handler decided and the body it got. An object with methods
 * rather than closures: a synchronous delivery, the usual one, allocates no function for them.
 */
class Delivery<E, M extends ConsumedMessage> {
  decided: DeliveryOutcome | undefined = undefined;
  body: Decoded<E> = null;

  /** The first decision wins. */
  decide(outcome: DeliveryOutcome): void {
    this.decided ??= outcome;
  }

  constructor(
    private readonly msg: M,
    private readonly subscription: Subscription<E, M>,
  ) {}

  failed(error: unknown): DeliveryOutcome {
    return this.decided ?? { kind: 'nack', error };
  }

  handled(): DeliveryOutcome {
    return this.decided ?? ACK;
  }

  handle(decoded: Decoded<E> | typeof SKIP_MESSAGE): DeliveryOutcome | Promise<DeliveryOutcome> {
    if (decoded === SKIP_MESSAGE) return SKIP;
    this.body = decoded;
    const result = this.subscription.handler(decoded, this.msg);
    return isPromise(result)
      ? Promise.resolve(result).then(
          () => this.handled(),
          (error: unknown) => this.failed(error),
        )
      : this.handled();
  }
}
