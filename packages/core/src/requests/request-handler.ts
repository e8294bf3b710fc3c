import type { AnyEvent } from '../events/any-event';
import { EventRaiser } from '../events/event-raiser';
import type { Request, ResultOf } from './request';

/**
 * Handles one request class. After `handle` succeeds, the mediator reads `events` and emits
 * what the handler raised: domain events in-process, notification events to the broker.
 * A handler instance serves one request (the container builds a fresh one per send), so
 * keeping raised events in a field is safe; don't register event-raising handlers as singletons.
 */
export interface RequestHandler<TRequest extends Request<unknown>, TResult = ResultOf<TRequest>> {
  /** Events raised while handling the request, read once `handle` has resolved. */
  readonly events?: readonly AnyEvent[];
  handle(request: TRequest): Promise<TResult> | TResult;
}

/**
 * Convenience base for request handlers that raise events: call `this.raise(event)` inside
 * `handle`.
 */
export abstract class EventRaisingHandler<TRequest extends Request<unknown>, TResult = ResultOf<TRequest>>
  extends EventRaiser
  implements RequestHandler<TRequest, TResult>
{
  abstract handle(request: TRequest): Promise<TResult> | TResult;
}

/** A handler class, constructed by the DI container. */
export type HandlerClass<H> = new (...args: never[]) => H;
