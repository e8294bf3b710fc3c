import { NotificationEvent } from '@cqrs/core';
import { parseTimestamp } from '../src/events/parse-timestamp';

/** A small deterministic generator, so a failure names a reproducible input. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function same(text: string): void {
  const expected = Date.parse(text);
  const actual = parseTimestamp(text);
  if (Number.isNaN(expected)) expect([text, actual]).toEqual([text, Number.NaN]);
  else expect([text, actual]).toEqual([text, expected]);
}

describe('parseTimestamp', () => {
  test('reads toISOString() output as Date.parse does, across the years 0000-9999', () => {
    const random = lcg(7);
    for (let i = 0; i < 20_000; i += 1) {
      const ms = Math.floor((random() * 2 - 1) * 62_000_000_000_000);
      const text = new Date(ms).toISOString();
      if (text.length === 24) same(text);
    }
  });

  test('every day of every month, leap years and century years included', () => {
    for (const year of [0, 4, 100, 400, 1900, 1970, 2000, 2023, 2024, 2100, 9999]) {
      for (let month = 1; month <= 12; month += 1) {
        for (let day = 0; day <= 32; day += 1) {
          same(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T23:59:59.999Z`);
        }
      }
    }
  });

  test.each([
    '2024-02-30T00:00:00.000Z',
    '2023-02-29T00:00:00.000Z',
    '2024-13-01T00:00:00.000Z',
    '2024-00-10T00:00:00.000Z',
    '2024-01-01T24:00:00.000Z',
    '2024-01-01T23:60:00.000Z',
    '2024-01-01T23:59:60.000Z',
    '2024-01-01t00:00:00.000Z',
    '2024-01-01T00:00:00.000z',
    '2024-01-01T00:00:00,000Z',
    '2024-01-01T00:00:00.0a0Z',
    '+02024-01-01T00:00:00.00Z',
    '2024-1-01T00:00:00.0000Z',
    '2024-05-01T10:00:00.123456+00:00',
    '2024-05-01T10:00:00Z',
    '2024-05-01',
    'Wed, 01 May 2024 10:00:00 GMT',
    'yesterday',
    '',
  ])('%s reads as Date.parse reads it', (text) => same(text));
});

describe('NotificationEvent.parse timestamps', () => {
  const base = { eventId: '9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7d', eventName: 'n', topic: 't', payload: null };

  test('each parsed event has a Date of its own', () => {
    const one = NotificationEvent.parse({ ...base, eventTimestamp: '2024-05-01T10:00:00.123Z' });
    const two = NotificationEvent.parse({ ...base, eventTimestamp: '2024-05-01T10:00:00.123Z' });
    expect(one.eventTimestamp).not.toBe(two.eventTimestamp);
    expect(one.eventTimestamp.toISOString()).toBe('2024-05-01T10:00:00.123Z');
  });

  test('a constructor that builds another event from the same init first does not share the Date', () => {
    const inner: NotificationEvent<unknown>[] = [];
    class Nesting extends NotificationEvent<unknown> {
      constructor(init: ConstructorParameters<typeof NotificationEvent<unknown>>[0]) {
        inner.push(new NotificationEvent(init));
        super(init);
      }
    }
    const outer = Nesting.parse({ ...base, eventTimestamp: '2024-05-01T10:00:00.123Z' });
    expect(inner[0]!.eventTimestamp).not.toBe(outer.eventTimestamp);
    expect(outer.eventTimestamp.getTime()).toBe(inner[0]!.eventTimestamp.getTime());
  });

  test('a constructor that throws leaves nothing behind for the next event', () => {
    class Failing extends NotificationEvent<unknown> {
      constructor(init: ConstructorParameters<typeof NotificationEvent<unknown>>[0]) {
        if (init.eventName === 'boom') throw new Error('boom');
        super(init);
      }
    }
    expect(() => Failing.parse({ ...base, eventName: 'boom', eventTimestamp: '2024-05-01T10:00:00.123Z' })).toThrow('boom');
    const given = new Date('2024-05-01T10:00:00.123Z');
    expect(new NotificationEvent({ ...base, eventTimestamp: given }).eventTimestamp).not.toBe(given);
  });
});
