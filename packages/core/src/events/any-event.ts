import type { DomainEvent } from './domain-event';
import type { NotificationEvent } from './notification-event';

/** Any event a handler can raise: domain events stay in-process, notification events travel. */
export type AnyEvent = DomainEvent | NotificationEvent<unknown>;

/** An event class (the key handlers are bound under). */
export type EventClass<E extends AnyEvent = AnyEvent> = abstract new (...args: never[]) => E;
