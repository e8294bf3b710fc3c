import { inboxInterceptor } from '../inbox/inbox-handler';
import type { Decoded } from '../serde/value-deserializer';
import type { ConsumedMessage } from './consumed-message';
import type { ConsumerOptions } from './consumer-options';
import type { MessageHandler } from './message-handler';

/**
 * Wraps a handler call: gets the decoded body and the message, and calls `next()` to run the
 * handler (or does not, to skip it: the message is then acked). `next(msg)` hands the rest of
 * the chain a message of its own (to see whether the handler nacked). The inbox is one:
 * open the transaction, record the message id, skip a duplicate, run `next()`, commit.
 */
export type HandlerInterceptor = (body: Decoded<unknown>, msg: ConsumedMessage, next: (msg?: ConsumedMessage) => Promise<void>) => Promise<void>;

/** The handler with `interceptors` around it, first outermost; the handler itself when there are none. */
export function intercept<E, M extends ConsumedMessage>(handler: MessageHandler<E, M>, interceptors: readonly HandlerInterceptor[] | undefined): MessageHandler<E, M> {
  if (interceptors === undefined || interceptors.length === 0) return handler;
  return (body, msg) => {
    const call = (index: number, current: M): Promise<void> => {
      const interceptor = interceptors[index];
      if (interceptor === undefined) return Promise.resolve(handler(body, current));
      return interceptor(body, current, (replaced) => call(index + 1, (replaced as M | undefined) ?? current));
    };
    return call(0, msg);
  };
}

/** The handler as a consumer runs it: inside its inbox, when one is configured, then its `interceptors`. */
export function wrapHandler<E, M extends ConsumedMessage>(handler: MessageHandler<E, M>, options: Pick<ConsumerOptions, 'inbox' | 'interceptors'>): MessageHandler<E, M> {
  if (options.inbox === undefined) return intercept(handler, options.interceptors);
  return intercept(handler, [inboxInterceptor(options.inbox), ...(options.interceptors ?? [])]);
}
