const DOMAIN_EVENT = Symbol.for('@cqrs/core/DomainEvent');

/**
 * Something that happened inside this service, handled in-process by the `EventHandler`s bound
 * in an `EventMap`. Subclasses carry their data as readonly constructor properties:
 *
 * ```ts
 * class UserJoined extends DomainEvent { constructor(readonly userId: string) { super(); } }
 * ```
 */
export abstract class DomainEvent {
  static {
    Object.defineProperty(this.prototype, DOMAIN_EVENT, { value: true });
  }
}

/** True for a `DomainEvent`, also one from another copy of the package. */
export function isDomainEvent(value: unknown): value is DomainEvent {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DOMAIN_EVENT] === true;
}
