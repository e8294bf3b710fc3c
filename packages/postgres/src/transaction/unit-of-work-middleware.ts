import type { AnyEvent, Middleware, Request } from '@cqrs/core';
import type { PgPoolClient } from '../pg-client';
import type { PgUnitOfWork } from './pg-unit-of-work';

/** Options of `unitOfWorkMiddleware`. */
export interface UnitOfWorkMiddlewareOptions {
  /** Which sends get a transaction; default all of them. Return false for queries that need none. */
  readonly when?: (message: Request<unknown> | AnyEvent) => boolean;
}

/**
 * A mediator middleware that runs each `send()` in `unitOfWork.run`: the handler, the domain
 * events it raised and the outbox rows of its notification events share one transaction,
 * committed after the last of them succeeded and rolled back if any throws.
 */
export function unitOfWorkMiddleware<C extends PgPoolClient>(unitOfWork: PgUnitOfWork<C>, options: UnitOfWorkMiddlewareOptions = {}): Middleware {
  const when = options.when;
  return (message, next) => (when !== undefined && !when(message) ? next(message) : unitOfWork.run(() => next(message)));
}
