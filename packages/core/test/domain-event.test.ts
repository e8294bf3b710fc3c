import { DomainEvent, NotificationEvent, isDomainEvent } from '@cqrs/core';

describe('isDomainEvent', () => {
  class Happened extends DomainEvent {}
  class Published extends NotificationEvent<null> {}

  test('tells domain events from notification events and plain objects', () => {
    expect(isDomainEvent(new Happened())).toBe(true);
    expect(isDomainEvent(new Published({ eventName: 'p', topic: 't', payload: null }))).toBe(false);
    expect(isDomainEvent({})).toBe(false);
    expect(isDomainEvent(null)).toBe(false);
  });
});
