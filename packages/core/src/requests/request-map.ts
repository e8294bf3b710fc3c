import { DuplicateHandlerError } from '../errors/errors';
import type { Request, RequestClass, ResultOf } from './request';
import type { HandlerClass, RequestHandler } from './request-handler';

/**
 * Binds request classes to their handler classes [commands_mapper / queries_mapper].
 * Keys are the classes themselves, never their names, so two classes called alike never clash.
 */
export class RequestMap {
  readonly #bindings = new Map<RequestClass, HandlerClass<RequestHandler<Request<unknown>, unknown>>>();

  /** Binds `request` to `handler`; binding the same request twice throws `DuplicateHandlerError`. */
  bind<R extends Request<unknown>>(request: RequestClass<R>, handler: HandlerClass<RequestHandler<R, ResultOf<R>>>): this {
    const existing = this.#bindings.get(request);
    if (existing !== undefined) throw new DuplicateHandlerError(request.name, existing.name, handler.name);
    this.#bindings.set(request, handler);
    return this;
  }

  /** The handler class bound to `request`, if any. */
  get(request: RequestClass): HandlerClass<RequestHandler<Request<unknown>, unknown>> | undefined {
    return this.#bindings.get(request);
  }

  /** Every binding, in the order they were made. */
  entries(): IterableIterator<[RequestClass, HandlerClass<RequestHandler<Request<unknown>, unknown>>]> {
    return this.#bindings.entries();
  }
}
