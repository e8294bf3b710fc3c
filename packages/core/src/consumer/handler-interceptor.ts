import type { Decoded } from '../serde/value-deserializer';
import type { ConsumedMessage } from './consumed-message';
import type { MessageHandler } from './message-handler';

/**
 * Wraps a handler call: gets the decoded body and the message, and calls `next()` to run the
 * handler (or does not, to skip it: the message is then acked). An inbox fits here: open the
 * transaction, record `msg.headers.message_id`, skip a duplicate, run `next()`, commit.
 */
export type HandlerInterceptor = (body: Decoded<unknown>, msg: ConsumedMessage, next: () => Promise<void>) => Promise<void>;

/** The handler with `interceptors` around it, first outermost; the handler itself when there are none. */
export function intercept<E, M extends ConsumedMessage>(handler: MessageHandler<E, M>, interceptors: readonly HandlerInterceptor[] | undefined): MessageHandler<E, M> {
  if (interceptors === undefined || interceptors.length === 0) return handler;
  return (body, msg) => {
    const call = (index: number): Promise<void> => {
      const interceptor = interceptors[index];
      if (interceptor === undefined) return Promise.resolve(handler(body, msg));
      return interceptor(body, msg, () => call(index + 1));
    };
    return call(0);
  };
}
