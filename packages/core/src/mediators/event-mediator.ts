import { ConfigurationError } from '../errors/errors';
import type { AnyEvent, EventClass } from '../events/any-event';
import type { Middleware, Next } from '../middlewares/middleware';
import { composeMiddlewares } from '../middlewares/middleware';
import type { Logger } from '../logging/logger';
import type { EventEmitter } from './event-emitter';
import { runAll } from './run-all';

/** Options of `EventMediator`; `bootstrapEvents()` fills them in. */
export interface EventMediatorOptions {
  readonly emitter: EventEmitter;
  readonly logger: Logger;
  readonly middlewares?: readonly Middleware[];
  /** How many handlers of one event run at once; 1 (sequential) by default, `Infinity` for all. */
  readonly concurrency?: number;
}

/**
 * Dispatches events that arrived from a broker to their handlers [EventMediator]. Handlers run
 * one after another by default, or up to `concurrency` at once; either way every handler runs,
 * and failures come back together (one as is, several as an `AggregateError`).
 */
export class EventMediator {
  readonly #emitter: EventEmitter;
  readonly #logger: Logger;
  readonly #concurrency: number;
  readonly #pipeline: Next | undefined;
  readonly #warnedUnhandled = new Set<EventClass>();

  constructor(options: EventMediatorOptions) {
    this.#emitter = options.emitter;
    this.#logger = options.logger;
    const concurrency = options.concurrency ?? 1;
    // NaN or 0 would start no worker at all and silently skip every handler.
    if (!(concurrency >= 1) || (!Number.isInteger(concurrency) && concurrency !== Infinity)) {
      throw new ConfigurationError(`concurrency must be a positive integer or Infinity, got ${concurrency}`);
    }
    this.#concurrency = concurrency;
    const middlewares = options.middlewares ?? [];
    this.#pipeline = middlewares.length === 0 ? undefined : composeMiddlewares(middlewares, (event) => this.#dispatch(event));
  }

  /** Runs every handler bound to the event's class, then emits what they raised. */
  send(event: AnyEvent): Promise<void> {
    // Without middlewares, #dispatch's own promise is the result: no second async frame.
    return this.#pipeline === undefined ? this.#dispatch(event) : this.#throughPipeline(this.#pipeline, event);
  }

  async #throughPipeline(pipeline: Next, event: AnyEvent): Promise<void> {
    await pipeline(event);
  }

  async #dispatch(event: AnyEvent): Promise<void> {
    const eventClass = event.constructor as EventClass;
    const factories = this.#emitter.factoriesFor(eventClass);
    if (factories.length === 0) {
      if (!this.#warnedUnhandled.has(eventClass)) {
        this.#warnedUnhandled.add(eventClass);
        this.#logger.warn(`no handler is bound for event ${eventClass.name}; it is ignored`, { event: eventClass.name });
      }
      return;
    }
    if (factories.length === 1) {
      // The usual case, one handler: no task closure and no array unless it raised events.
      const handler = (factories[0] as (typeof factories)[number])();
      await handler.handle(event);
      const events = handler.events;
      if (events !== undefined && events.length > 0) await this.#emitter.emit([...events]);
      return;
    }
    const raised: AnyEvent[] = [];
    await runAll(factories, this.#concurrency, async (factory) => {
      const handler = factory();
      await handler.handle(event);
      if (handler.events !== undefined && handler.events.length > 0) raised.push(...handler.events);
    });
    if (raised.length > 0) await this.#emitter.emit(raised);
  }
}
