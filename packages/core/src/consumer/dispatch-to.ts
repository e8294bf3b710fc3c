import type { AnyEvent } from '../events/any-event';
import { isDeserializeError } from '../serde/deserialize-error';
import type { ConsumedMessage } from './consumed-message';
import type { MessageHandler } from './message-handler';

/** What `dispatchTo` hands events to: an `EventMediator`, or anything with its `send`. */
export interface EventSink<E> {
  send(event: E): Promise<void>;
  /** Like `send`, returning `undefined` (or throwing) when it ran synchronously; used instead of `send` when present. */
  dispatch?(event: E): void | Promise<void>;
}

/** Options of `dispatchTo`. */
export interface DispatchOptions {
  /**
   * Bytes that did not decode: `nack` (to the dead letter with the bytes intact; retried first
   * when the cause was transient, such as a registry that was down) or `ack` (drop them).
   * @default 'nack'
   */
  readonly onDecodeError?: 'nack' | 'ack';
  /** An empty (tombstone) message: `ack` (nothing to do) or `nack`. @default 'ack' */
  readonly onEmpty?: 'ack' | 'nack';
}

/** The defaults of `DispatchOptions`. */
export const dispatchDefaults = Object.freeze({ onDecodeError: 'nack', onEmpty: 'ack' } as const);

/**
 * The consumer → mediator glue in one line: decoded events go to `mediator.send(event)`
 * (returning acks, throwing nacks and retries), decode errors and empty messages follow the
 * options.
 *
 * ```ts
 * consumer.subscribe({ topics: ['user_events'], valueDeserializer }, dispatchTo(events));
 * ```
 */
export function dispatchTo<E extends AnyEvent>(mediator: EventSink<E>, options: DispatchOptions = {}): MessageHandler<E, ConsumedMessage> {
  const nackDecodeErrors = (options.onDecodeError ?? dispatchDefaults.onDecodeError) === 'nack';
  const nackEmpty = (options.onEmpty ?? dispatchDefaults.onEmpty) === 'nack';
  // A synchronous run acks without a promise: the consumer settles it in the same turn.
  const deliver: (event: E) => void | Promise<void> = mediator.dispatch?.bind(mediator) ?? mediator.send.bind(mediator);
  return (body, msg) => {
    if (body === null) return nackEmpty ? msg.nack(new Error('empty message')) : undefined;
    if (isDeserializeError(body)) return nackDecodeErrors ? msg.nack(body) : undefined;
    return deliver(body);
  };
}
