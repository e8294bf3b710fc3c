import { factoryOf, type Container } from '../container/container';
import { DuplicateHandlerError, HandlerNotFoundError } from '../errors/errors';
import type { Middleware, Next } from '../middlewares/middleware';
import { composeMiddlewares } from '../middlewares/middleware';
import type { Request, RequestClass, ResultOf } from '../requests/request';
import type { HandlerClass, RequestHandler } from '../requests/request-handler';
import type { RequestMap } from '../requests/request-map';
import { isPromise } from '../transport/is-promise';
import type { EventDispatcher } from './event-dispatcher';

type AnyHandler = RequestHandler<Request<unknown>, unknown>;

/** Options of `RequestMediator`; `bootstrap()` fills them in. */
export interface RequestMediatorOptions {
  readonly container: Container;
  readonly requestMaps: readonly RequestMap[];
  /** Dispatches the events a handler raised. */
  readonly dispatcher: EventDispatcher;
  readonly middlewares?: readonly Middleware[];
}

/**
 * Sends commands and queries to their handlers [RequestMediator]: resolves the handler through
 * the container, runs the middleware chain, handles the request, then dispatches the events
 * the handler raised. Handler factories are prepared once per request class, so a send costs a map
 * lookup, the handler's construction and the call.
 */
export class RequestMediator {
  readonly #container: Container;
  readonly #handlerClasses = new Map<RequestClass, HandlerClass<AnyHandler>>();
  readonly #factories = new Map<RequestClass, () => AnyHandler>();
  readonly #dispatcher: EventDispatcher;
  readonly #pipeline: Next | undefined;

  constructor(options: RequestMediatorOptions) {
    this.#container = options.container;
    this.#dispatcher = options.dispatcher;
    for (const map of options.requestMaps) {
      for (const [request, handler] of map.entries()) {
        const existing = this.#handlerClasses.get(request);
        if (existing !== undefined) throw new DuplicateHandlerError(request.name, existing.name, handler.name);
        this.#handlerClasses.set(request, handler);
      }
    }
    const middlewares = options.middlewares ?? [];
    this.#pipeline = middlewares.length === 0 ? undefined : composeMiddlewares(middlewares, (message) => this.#dispatch(message as Request<unknown>));
  }

  /** Handles `request` and returns its handler's result; throws `HandlerNotFoundError` if unbound. */
  send<R extends Request<unknown>>(request: R): Promise<ResultOf<R>> {
    const pending = this.#pipeline === undefined ? this.#dispatch(request) : this.#pipeline(request);
    return pending as Promise<ResultOf<R>>;
  }

  async #dispatch(request: Request<unknown>): Promise<unknown> {
    const handler = this.#handlerFor(request.constructor as RequestClass)();
    const returned = handler.handle(request);
    // A synchronous handler's result needs no await: each await costs a turn of the microtask queue.
    const result = isPromise(returned) ? await returned : returned;
    const events = handler.events;
    if (events !== undefined && events.length > 0) await this.#dispatcher.dispatch(events);
    return result;
  }

  #handlerFor(requestClass: RequestClass): () => AnyHandler {
    const prepared = this.#factories.get(requestClass);
    if (prepared !== undefined) return prepared;
    const handlerClass = this.#handlerClasses.get(requestClass);
    if (handlerClass === undefined) throw new HandlerNotFoundError(requestClass.name);
    const factory = factoryOf(this.#container, handlerClass);
    this.#factories.set(requestClass, factory);
    return factory;
  }
}
