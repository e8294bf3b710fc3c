import type { AnyEvent } from './any-event';

/**
 * Handles one event type, in-process (domain events) or from a broker (notification events).
 * A handler may raise follow-up events through `events`; they are emitted after it succeeds.
 */
export interface EventHandler<E extends AnyEvent> {
  readonly events?: readonly AnyEvent[];
  handle(event: E): Promise<void> | void;
}
