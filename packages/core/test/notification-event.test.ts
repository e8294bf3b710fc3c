import { z } from 'zod';
import { ECSTEvent, NotificationEvent, ValidationError, deepFreeze, isNotificationEvent, isCqrsError } from '@cqrs/core';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const Address = z.object({ street: z.string(), city: z.string(), zipCode: z.string() });
const UserCreatedPayload = z.object({ userId: z.string(), email: z.email(), name: z.string(), address: Address });
type UserCreatedPayload = z.infer<typeof UserCreatedPayload>;

class UserCreatedEvent extends NotificationEvent<UserCreatedPayload> {
  static override readonly payloadSchema = UserCreatedPayload;
}

class Untyped extends NotificationEvent<{ n: number }> {}

class UserSnapshot extends ECSTEvent<{ userId: string; email: string }> {}

const payload = (): UserCreatedPayload => ({
  userId: '123',
  email: 'user@example.com',
  name: 'John Doe',
  address: { street: '1 Main St', city: 'Springfield', zipCode: '12345' },
});

const newEvent = (): UserCreatedEvent => new UserCreatedEvent({ eventName: 'user_created', topic: 'user_events', payload: payload() });

describe('NotificationEvent defaults', () => {
  test('a new event gets a v4 UUID and the current time', () => {
    const before = Date.now();
    const event = newEvent();
    const after = Date.now();
    expect(event.eventId).toMatch(UUID_V4);
    expect(event.eventTimestamp).toBeInstanceOf(Date);
    expect(event.eventTimestamp.getTime()).toBeGreaterThanOrEqual(before);
    expect(event.eventTimestamp.getTime()).toBeLessThanOrEqual(after);
    expect(event.eventType).toBe('notification_event');
    expect(event.key).toBeUndefined();
    expect(isNotificationEvent(event)).toBe(true);
  });

  test('two events never share an id', () => {
    expect(newEvent().eventId).not.toBe(newEvent().eventId);
  });

  test('given id, timestamp and key are kept', () => {
    const at = new Date('2024-05-01T10:00:00.000Z');
    const event = new Untyped({ eventName: 'n', topic: 't', payload: { n: 1 }, eventId: '9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7d', eventTimestamp: at, key: 'agg-1' });
    expect(event.eventId).toBe('9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7d');
    expect(event.eventTimestamp).toEqual(at);
    expect(event.key).toBe('agg-1');
  });
});

describe('NotificationEvent immutability', () => {
  test('the event is frozen and assignment throws (strict mode)', () => {
    const event = newEvent();
    expect(Object.isFrozen(event)).toBe(true);
    expect(() => {
      (event as { topic: string }).topic = 'elsewhere';
    }).toThrow(TypeError);
    expect(event.topic).toBe('user_events');
  });

  test('the payload is deep-frozen', () => {
    const event = newEvent();
    expect(Object.isFrozen(event.payload)).toBe(true);
    expect(Object.isFrozen(event.payload.address)).toBe(true);
    expect(() => {
      (event.payload.address as { city: string }).city = 'Shelbyville';
    }).toThrow(TypeError);
    expect(event.payload.address.city).toBe('Springfield');
  });

  test('the timestamp is a copy owned by the event', () => {
    const at = new Date('2024-05-01T10:00:00.000Z');
    const event = new Untyped({ eventName: 'n', topic: 't', payload: { n: 1 }, eventTimestamp: at });
    at.setTime(0);
    expect(event.eventTimestamp).not.toBe(at);
    expect(event.eventTimestamp.toISOString()).toBe('2024-05-01T10:00:00.000Z');
  });
});

describe('deepFreeze', () => {
  test('walks into objects that were already frozen at the top', () => {
    const inner = { n: 1 };
    const outer = Object.freeze({ inner });
    deepFreeze(outer);
    expect(Object.isFrozen(inner)).toBe(true);
  });

  test('survives cycles and leaves typed arrays alone', () => {
    const node: { self?: unknown; bytes: Uint8Array } = { bytes: new Uint8Array([1, 2]) };
    node.self = node;
    expect(deepFreeze(node)).toBe(node);
    expect(Object.isFrozen(node)).toBe(true);
    node.bytes[0] = 9;
    expect(node.bytes[0]).toBe(9);
  });

  test('returns primitives as they are', () => {
    expect(deepFreeze(5)).toBe(5);
    expect(deepFreeze(null)).toBeNull();
  });
});

describe('NotificationEvent.parse', () => {
  const wire = {
    event_id: '9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7d',
    event_timestamp: '2024-05-01T10:00:00.123Z',
    event_name: 'user_created',
    topic: 'user_events',
    payload: payload(),
  };

  test('reads the snake_case envelope python-cqrs writes', () => {
    const event = UserCreatedEvent.parse(wire);
    expect(event).toBeInstanceOf(UserCreatedEvent);
    expect(event.eventId).toBe(wire.event_id);
    expect(event.eventTimestamp.toISOString()).toBe('2024-05-01T10:00:00.123Z');
    expect(event.eventName).toBe('user_created');
    expect(event.topic).toBe('user_events');
    expect(event.payload).toEqual(payload());
    expect(Object.isFrozen(event.payload.address)).toBe(true);
  });

  test('reads a camelCase envelope and a python timestamp with microseconds', () => {
    const event = UserCreatedEvent.parse({
      eventId: wire.event_id,
      eventTimestamp: '2024-05-01T10:00:00.123456+00:00',
      eventName: 'user_created',
      topic: 'user_events',
      payload: payload(),
    });
    expect(event.eventTimestamp.toISOString()).toBe('2024-05-01T10:00:00.123Z');
    expect(event.payload.userId).toBe('123');
  });

  test('a Date given to parse stays the caller’s: the event keeps a copy; parsed text and numbers give each event a Date of its own', () => {
    const at = new Date('2024-05-01T10:00:00.000Z');
    const fromDate = UserCreatedEvent.parse({ ...wire, event_timestamp: at });
    at.setTime(0);
    expect(fromDate.eventTimestamp).not.toBe(at);
    expect(fromDate.eventTimestamp.toISOString()).toBe('2024-05-01T10:00:00.000Z');
    const [first, second] = [UserCreatedEvent.parse(wire), UserCreatedEvent.parse({ ...wire, event_timestamp: Date.parse(wire.event_timestamp) })];
    expect(first.eventTimestamp).not.toBe(second.eventTimestamp);
    expect(first.eventTimestamp.toISOString()).toBe('2024-05-01T10:00:00.123Z');
    expect(second.eventTimestamp.getTime()).toBe(first.eventTimestamp.getTime());
    // An event built afterwards with a Date of its own still copies it.
    const later = new Date('2025-01-01T00:00:00.000Z');
    expect(new Untyped({ eventName: 'n', topic: 't', payload: { n: 1 }, eventTimestamp: later }).eventTimestamp).not.toBe(later);
  });

  test('the topic option overrides the topic in the data', () => {
    expect(UserCreatedEvent.parse(wire, { topic: 'user_events_v2' }).topic).toBe('user_events_v2');
  });

  test('an invalid payload is a ValidationError naming the field', () => {
    const bad = { ...wire, payload: { ...payload(), email: 'not-an-email' } };
    let caught: unknown;
    try {
      UserCreatedEvent.parse(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(isCqrsError(caught)).toBe(true);
    expect((caught as ValidationError).code).toBe('VALIDATION_FAILED');
    expect((caught as ValidationError).message).toMatch(/UserCreatedEvent: invalid payload/);
    expect((caught as ValidationError).message).toMatch(/email/);
    expect((caught as ValidationError).cause).toBeInstanceOf(z.ZodError);
  });

  test('a missing nested field is refused', () => {
    const { zipCode: _dropped, ...address } = payload().address;
    expect(() => UserCreatedEvent.parse({ ...wire, payload: { ...payload(), address } })).toThrow(/zipCode/);
  });

  test.each([
    ['not an object', 'hello', /expected an object, got string/],
    ['null', null, /got null/],
    ['no event id', { ...wire, event_id: undefined }, /invalid envelope/],
    ['an event id that is no UUID', { ...wire, event_id: '42' }, /invalid envelope/],
    ['no event name', { ...wire, event_name: '' }, /invalid envelope/],
    ['an unreadable timestamp', { ...wire, event_timestamp: 'yesterday' }, /invalid eventTimestamp/],
  ])('refuses %s', (_label, data, message) => {
    expect(() => UserCreatedEvent.parse(data)).toThrow(ValidationError);
    expect(() => UserCreatedEvent.parse(data)).toThrow(message);
  });

  test('without a payload schema the payload is taken as it is', () => {
    const event = Untyped.parse({ ...wire, payload: { n: 'not a number' } });
    expect(event.payload).toEqual({ n: 'not a number' });
  });
});

describe('NotificationEvent.toJSON', () => {
  test('writes the snake_case wire form with an ISO timestamp', () => {
    const event = newEvent();
    expect(event.toJSON()).toEqual({
      event_id: event.eventId,
      event_timestamp: event.eventTimestamp.toISOString(),
      event_name: 'user_created',
      event_type: 'notification_event',
      topic: 'user_events',
      payload: payload(),
    });
  });

  test('round-trips through JSON text and parse', () => {
    const event = newEvent();
    const back = UserCreatedEvent.parse(JSON.parse(JSON.stringify(event)));
    expect(back.eventId).toBe(event.eventId);
    expect(back.eventTimestamp.getTime()).toBe(event.eventTimestamp.getTime());
    expect(back.eventName).toBe(event.eventName);
    expect(back.topic).toBe(event.topic);
    expect(back.payload).toEqual(event.payload);
    expect(back.toJSON()).toEqual(event.toJSON());
  });
});

describe('ECSTEvent', () => {
  test('is a notification event with its own event type', () => {
    const event = new UserSnapshot({ eventName: 'user_snapshot', topic: 'users', payload: { userId: '1', email: 'a@b.c' } });
    expect(event.eventType).toBe('ecst_event');
    expect(event.toJSON().event_type).toBe('ecst_event');
    expect(isNotificationEvent(event)).toBe(true);
    expect(UserSnapshot.parse(event.toJSON())).toBeInstanceOf(UserSnapshot);
  });
});
