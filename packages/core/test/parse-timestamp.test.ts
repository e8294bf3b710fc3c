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
    '2024-05-01T10:00:00.123456789-05:30',
    '2024-05-01T10:00:00+0530',
    '2024-05-01T10:00:00Z',
    '2024-05-01T10:00Z',
    '2024-05-01',
    'Wed, 01 May 2024 10:00:00 GMT',
    'yesterday',
    '',
  ])('%s reads as Date.parse reads it', (text) => same(text));
});

describe('parseTimestamp: naive timestamps and what a Date cannot hold', () => {
  const at = Date.UTC(2026, 11, 1, 8, 8, 0, 835);

  test.each([
    '2026-12-01T08:08:00.835014',
    '2026-12-01 08:08:00.835014',
    '2026-12-01T08:08:00.835',
    '2026-12-01T08:08:00.835999999',
  ])('%s is read in UTC by default, below the millisecond truncated', (text) => {
    expect(parseTimestamp(text)).toBe(at);
    expect(parseTimestamp(text, { naiveTimeZone: 'UTC' })).toBe(at);
  });

  test('a named zone places the wall-clock time there, across a DST change too', () => {
    expect(parseTimestamp('2026-12-01T08:08:00.835014', { naiveTimeZone: 'Asia/Kolkata' })).toBe(at - 5.5 * 3_600_000);
    // New York: EST (-5) in January, EDT (-4) in July; 2026-03-08 01:30 is before the switch.
    expect(parseTimestamp('2026-01-15T12:00:00', { naiveTimeZone: 'America/New_York' })).toBe(Date.UTC(2026, 0, 15, 17));
    expect(parseTimestamp('2026-07-15T12:00:00', { naiveTimeZone: 'America/New_York' })).toBe(Date.UTC(2026, 6, 15, 16));
    expect(parseTimestamp('2026-03-08T01:30:00', { naiveTimeZone: 'America/New_York' })).toBe(Date.UTC(2026, 2, 8, 6, 30));
    expect(parseTimestamp('2026-03-08T03:30:00', { naiveTimeZone: 'America/New_York' })).toBe(Date.UTC(2026, 2, 8, 7, 30));
  });

  test("'local' reads as Date's own local-time rule does", () => {
    expect(parseTimestamp('2026-12-01T08:08:00.835014', { naiveTimeZone: 'local' })).toBe(new Date(2026, 11, 1, 8, 8, 0, 835).getTime());
  });

  test('a zoned timestamp ignores naiveTimeZone', () => {
    expect(parseTimestamp('2026-12-01T08:08:00.835014+00:00', { naiveTimeZone: 'Asia/Kolkata' })).toBe(at);
    expect(parseTimestamp('2026-12-01T13:38:00.835014+05:30')).toBe(at);
  });

  test("subMillisecond: 'reject' makes non-zero microseconds invalid, and only those", () => {
    expect(parseTimestamp('2026-12-01T08:08:00.835014', { subMillisecond: 'reject' })).toBeNaN();
    expect(parseTimestamp('2026-12-01T08:08:00.835000', { subMillisecond: 'reject' })).toBe(at);
    expect(parseTimestamp('2026-12-01T08:08:00.835Z', { subMillisecond: 'reject' })).toBe(at);
  });

  test.each(['2026-02-29T00:00:00', '2026-12-01T24:00:00', '2026-12-01T08:60:00', '2026-12-01T08:00:00+24:00', '275760-09-13T00:00:00.001'])('%s is invalid', (text) => {
    expect(parseTimestamp(text)).toBeNaN();
  });
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
