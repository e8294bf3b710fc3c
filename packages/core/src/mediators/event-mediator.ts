import { ConfigurationError } from '../errors/errors';
import type { AnyEvent } from '../events/any-event';
import type { Middleware, Next } from '../middlewares/middleware';
import { composeMiddlewares } from '../middlewares/middleware';
import type { EventDispatcher } from './event-dispatcher';
import type { EventHandlerRegistry } from './event-handler-registry';

/** Options of `EventMediator`; `bootstrapEvents()` fills them in. */
export interface EventMediatorOptions {
  /** The handlers, shared with `dispatcher`. */
  readonly handlers: EventHandlerRegistry;
  /** Dispatches what the handlers raised. */
  readonly dispatcher: EventDispatcher;
  /** @default [] */
  readonly middlewares?: readonly Middleware[];
  /** How many handlers of one event run at once; `Infinity` for all. @default 1 (sequential) */
  readonly concurrency?: number;
}

/** The defaults of `EventMediatorOptions`. */
export const eventMediatorDefaults = Object.freeze({ concurrency: 1 });

/**
 * Dispatches events that arrived from a broker to their handlers [EventMediator]. Handlers run
 * one after another by default, or up to `concurrency` at once; either way every handler runs,
 * and failures come back together (one as is, several as an `AggregateError`). What they raise
 * goes through the `EventDispatcher`. `dispatchTo(mediator)` wires it to a consumer.
 */
export class EventMediator {
  readonly #handlers: EventHandlerRegistry;
  readonly #dispatcher: EventDispatcher;
  readonly #concurrency: number;
  readonly #pipeline: Next | undefined;
  readonly #onRaised = (raised: readonly AnyEvent[]): Promise<void> => this.#dispatcher.dispatch(raised);

  constructor(options: EventMediatorOptions) {
    this.#handlers = options.handlers;
    this.#dispatcher = options.dispatcher;
    const concurrency = options.concurrency ?? eventMediatorDefaults.concurrency;
    // NaN or 0 would start no worker at all and silently skip every handler.
    if (!(concurrency >= 1) || (!Number.isInteger(concurrency) && concurrency !== Infinity)) {
      throw new ConfigurationError(`concurrency must be a positive integer or Infinity, got ${concurrency}`);
    }
    this.#concurrency = concurrency;
    const middlewares = options.middlewares ?? [];
    this.#pipeline = middlewares.length === 0 ? undefined : composeMiddlewares(middlewares, async (event) => this.#dispatch(event));
  }

  /** Runs every handler bound to the event's class, then dispatches what they raised. */
  send(event: AnyEvent): Promise<void> {
    // `dispatch`'s own promise when it has one (no second promise, no extra turns); what it
    // throws becomes the rejection, as from an async function.
    try {
      const running = this.dispatch(event);
      return running instanceof Promise ? running : Promise.resolve();
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what the handler threw, unchanged, as an async function would reject
      return Promise.reject(error);
    }
  }

  /**
   * `send` for hot loops (what `dispatchTo` calls): the same work, but when it all ran
   * synchronously (a lone handler that returned no promise and raised nothing, no middlewares)
   * it returns `undefined` and throws what the handler threw, instead of a promise. A consumer
   * then settles the message without waiting a turn of the event loop.
   */
  dispatch(event: AnyEvent): void | Promise<void> {
    return this.#pipeline === undefined ? this.#dispatch(event) : this.#throughPipeline(this.#pipeline, event);
  }

  async #throughPipeline(pipeline: Next, event: AnyEvent): Promise<void> {
    await pipeline(event);
  }

  #dispatch(event: AnyEvent): void | Promise<void> {
    return this.#handlers.run(event, this.#concurrency, 'event', this.#onRaised);
  }
}
