import type { AnyEvent } from './any-event';

const NO_EVENTS: readonly AnyEvent[] = Object.freeze([]);

/**
 * Base for any handler that raises events: call `this.raise(event)` inside `handle`; the
 * mediator reads `events` once `handle` has succeeded. Request handlers usually extend
 * `EventRaisingHandler`; event handlers that raise follow-up events extend this directly:
 *
 * ```ts
 * class OrderPlacedHandler extends EventRaiser implements EventHandler<OrderPlaced> {
 *   handle(event: OrderPlaced): void { this.raise(new StockReserved(event.orderId)); }
 * }
 * ```
 */
export abstract class EventRaiser {
  // Allocated on the first raise: most handlers raise nothing, and one is built per send.
  #events: AnyEvent[] | undefined;

  /** The events raised so far, in order. */
  get events(): readonly AnyEvent[] {
    return this.#events ?? NO_EVENTS;
  }

  /** Records events to emit once `handle` has succeeded. */
  protected raise(...events: AnyEvent[]): void {
    if (this.#events === undefined) this.#events = events;
    else this.#events.push(...events);
  }
}
