import { DuplicateHandlerError } from '../errors/errors';
import type { HandlerClass } from '../requests/request-handler';
import type { AnyEvent, EventClass } from './any-event';
import type { EventHandler } from './event-handler';

const NO_HANDLERS: readonly HandlerClass<EventHandler<AnyEvent>>[] = Object.freeze([]);

/**
 * Binds event classes to their handler classes [domain_events_mapper / events_mapper].
 * An event may have several handlers; they run in the order they were bound.
 */
export class EventMap {
  readonly #bindings = new Map<EventClass, HandlerClass<EventHandler<AnyEvent>>[]>();

  /** Adds `handler` for `event`; binding the same pair twice throws `DuplicateHandlerError`. */
  bind<E extends AnyEvent>(event: EventClass<E>, handler: HandlerClass<EventHandler<E>>): this {
    const handlers = this.#bindings.get(event) ?? [];
    const erased = handler as unknown as HandlerClass<EventHandler<AnyEvent>>;
    if (handlers.includes(erased)) {
      throw new DuplicateHandlerError(event.name, handler.name, handler.name, 'event');
    }
    handlers.push(erased);
    this.#bindings.set(event, handlers);
    return this;
  }

  /** The handler classes bound to `event`, empty when none. */
  get(event: EventClass): readonly HandlerClass<EventHandler<AnyEvent>>[] {
    return this.#bindings.get(event) ?? NO_HANDLERS;
  }

  /** Every event class with at least one handler. */
  events(): IterableIterator<EventClass> {
    return this.#bindings.keys();
  }
}
