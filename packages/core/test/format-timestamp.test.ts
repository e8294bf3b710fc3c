import { formatTimestamp } from '../src/events/format-timestamp';

// formatTimestamp must give exactly what toISOString gives, for every instant.
const DAY = 86_400_000;
const YEAR_10000 = Date.UTC(10000, 0, 1);

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const same = (ms: number): void => {
  const date = new Date(ms);
  expect(formatTimestamp(date)).toBe(date.toISOString());
};

/** The instants among `instants` that formatTimestamp writes differently (one expect for many). */
function mismatches(instants: Iterable<number>): string[] {
  const wrong: string[] = [];
  for (const ms of instants) {
    const date = new Date(ms);
    if (formatTimestamp(date) !== date.toISOString()) wrong.push(`${ms}: ${formatTimestamp(date)} != ${date.toISOString()}`);
  }
  return wrong;
}

describe('formatTimestamp', () => {
  it('writes what toISOString writes for 200,000 random instants between 1970 and 9999', () => {
    const random = seeded(7);
    expect(mismatches(Array.from({ length: 200_000 }, () => Math.floor(random() * YEAR_10000)))).toEqual([]);
  });

  it('writes every day from 1970 to 2500 right, at its first and last millisecond', () => {
    // Crosses every leap day, 2000 (leap) and 2100, 2200, 2300 (not leap).
    const edges: number[] = [];
    for (let ms = 0; ms < Date.UTC(2500, 0, 1); ms += DAY) edges.push(ms, ms + DAY - 1);
    expect(edges.length).toBeGreaterThan(380_000);
    expect(mismatches(edges)).toEqual([]);
  });

  it('keeps the day text right when consecutive instants alternate between days', () => {
    const instants = [Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1), Date.UTC(2023, 11, 31, 12), Date.UTC(2024, 1, 29, 1, 2, 3, 4)];
    for (let round = 0; round < 3; round += 1) for (const ms of instants) same(ms);
  });

  it('leaves instants before 1970 and from the year 10000 on to toISOString', () => {
    for (const ms of [-1, -DAY, Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(-50, 0, 1), YEAR_10000 - 1, YEAR_10000, 8.64e15, -8.64e15]) same(ms);
    expect(formatTimestamp(new Date(YEAR_10000))).toBe('+010000-01-01T00:00:00.000Z');
  });

  it('throws the RangeError toISOString throws for an invalid date', () => {
    expect(() => formatTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});
