import type { AnyEvent } from '../events/any-event';
import type { Request } from '../requests/request';

/** Calls the rest of the chain (the next middleware, then the handler). */
export type Next = (message: Request<unknown> | AnyEvent) => Promise<unknown>;

/**
 * Wraps every `send()` of both mediators: runs code before and after the handler, can change
 * the message, the result, or throw. Composed once at bootstrap, first in the list outermost.
 *
 * ```ts
 * const timing: Middleware = async (message, next) => {
 *   const started = performance.now();
 *   try { return await next(message); } finally { metrics.observe(message.constructor.name, performance.now() - started); }
 * };
 * ```
 */
export type Middleware = (message: Request<unknown> | AnyEvent, next: Next) => Promise<unknown>;

/** Folds middlewares around `final` once, so each send pays only for the middlewares present. */
export function composeMiddlewares(middlewares: readonly Middleware[], final: Next): Next {
  let next = final;
  for (let i = middlewares.length - 1; i >= 0; i -= 1) {
    const middleware = middlewares[i] as Middleware;
    const inner = next;
    next = (message) => middleware(message, inner);
  }
  return next;
}
