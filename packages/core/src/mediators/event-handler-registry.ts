import { factoryOf, type Container } from '../container/container';
import type { AnyEvent, EventClass } from '../events/any-event';
import type { EventHandler } from '../events/event-handler';
import type { EventMap } from '../events/event-map';
import type { Logger } from '../logging/logger';
import { isPromise } from '../transport/is-promise';
import { runAll } from './run-all';

/** Builds one handler instance through the container. */
export type EventHandlerFactory = () => EventHandler<AnyEvent>;

/** The events handlers raised, if any. */
export type Raised = readonly AnyEvent[] | undefined;

function raisedBy(handler: EventHandler<AnyEvent>): Raised {
  const raised = handler.events;
  return raised !== undefined && raised.length > 0 ? raised : undefined;
}

/** Hands what the handlers raised, if anything, to `onRaised`. */
function handOn(raised: Raised, onRaised: (raised: readonly AnyEvent[]) => void | Promise<void>): void | Promise<void> {
  return raised === undefined ? undefined : onRaised(raised);
}

/**
 * The event handlers of one `EventMap`, shared by `EventMediator` and `EventDispatcher`:
 * factories prepared once per event class, a warning once per unhandled class, and one way to
 * run them (a lone handler without a task or an array, several up to a concurrency).
 */
export class EventHandlerRegistry {
  readonly #container: Container;
  readonly #eventMap: EventMap;
  readonly #logger: Logger;
  readonly #factories = new Map<EventClass, readonly EventHandlerFactory[]>();
  readonly #warnedUnhandled = new Set<EventClass>();

  constructor(container: Container, eventMap: EventMap, logger: Logger) {
    this.#container = container;
    this.#eventMap = eventMap;
    this.#logger = logger;
  }

  /** The logger of the mediators built on this registry. */
  get logger(): Logger {
    return this.#logger;
  }

  /** The prepared handler factories of an event class, built once. */
  factoriesFor(eventClass: EventClass): readonly EventHandlerFactory[] {
    let factories = this.#factories.get(eventClass);
    if (factories === undefined) {
      factories = this.#eventMap.get(eventClass).map((handler) => factoryOf(this.#container, handler));
      this.#factories.set(eventClass, factories);
    }
    return factories;
  }

  /**
   * Runs every handler of `event`'s class, up to `concurrency` at once, then hands what they
   * raised to `onRaised` (not called when they raised nothing). An event without handlers is
   * ignored with one warning per class (`kind` names it: `event`, `domain event`). A lone
   * handler that answers synchronously and raises nothing is run without a promise: the result
   * is `undefined`, and what it throws is thrown; otherwise the result is a promise.
   */
  run(event: AnyEvent, concurrency: number, kind: string, onRaised: (raised: readonly AnyEvent[]) => void | Promise<void>): void | Promise<void> {
    const eventClass = event.constructor as EventClass;
    const factories = this.factoriesFor(eventClass);
    if (factories.length === 0) {
      this.#warnUnhandled(eventClass, kind);
      return undefined;
    }
    if (factories.length > 1) return this.#runAll(factories, event, concurrency).then((raised) => handOn(raised, onRaised));
    const handler = (factories[0] as EventHandlerFactory)();
    const result = handler.handle(event);
    // A closure only for a handler that answered with a promise (a thenable becomes a native one).
    return isPromise(result) ? Promise.resolve(result).then(() => handOn(raisedBy(handler), onRaised)) : handOn(raisedBy(handler), onRaised);
  }

  #warnUnhandled(eventClass: EventClass, kind: string): void {
    if (this.#warnedUnhandled.has(eventClass)) return;
    this.#warnedUnhandled.add(eventClass);
    this.#logger.warn(`no handler is bound for ${kind} ${eventClass.name}; it is ignored`, { event: eventClass.name });
  }

  async #runAll(factories: readonly EventHandlerFactory[], event: AnyEvent, concurrency: number): Promise<Raised> {
    let raised: AnyEvent[] | undefined;
    await runAll(factories, concurrency, async (factory) => {
      const handler = factory();
      await handler.handle(event);
      const events = raisedBy(handler);
      if (events !== undefined) (raised ??= []).push(...events);
    });
    return raised;
  }
}
