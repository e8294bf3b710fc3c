import { DomainEvent, EventMap, isCqrsError, NotificationEvent, type EventHandler } from '@cqrs/core';

class Shipped extends DomainEvent {}
class Paid extends NotificationEvent<{ amount: number }> {}

class EmailOnShipped implements EventHandler<Shipped> {
  handle(): void {}
}
class AuditOnShipped implements EventHandler<Shipped> {
  handle(): void {}
}
class LedgerOnPaid implements EventHandler<Paid> {
  handle(): void {}
}

describe('EventMap', () => {
  test('keeps several handlers per event, in bind order', () => {
    const map = new EventMap().bind(Shipped, EmailOnShipped).bind(Shipped, AuditOnShipped).bind(Paid, LedgerOnPaid);
    expect(map.get(Shipped)).toEqual([EmailOnShipped, AuditOnShipped]);
    expect(map.get(Paid)).toEqual([LedgerOnPaid]);
    expect([...map.events()]).toEqual([Shipped, Paid]);
  });

  test('an event with no handler has an empty list', () => {
    expect(new EventMap().get(Shipped)).toEqual([]);
  });

  test('binding the same handler to the same event twice is refused', () => {
    const map = new EventMap().bind(Shipped, EmailOnShipped);
    let caught: unknown;
    try {
      map.bind(Shipped, EmailOnShipped);
    } catch (error) {
      caught = error;
    }
    expect(isCqrsError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'DUPLICATE_HANDLER', name: 'DuplicateHandlerError' });
    expect((caught as Error).message).toMatch(/EmailOnShipped is already bound to event Shipped/);
    expect(map.get(Shipped)).toEqual([EmailOnShipped]);
  });
});
