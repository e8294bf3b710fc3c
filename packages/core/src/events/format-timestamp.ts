import { DAY_MS, civilFromDays } from './civil-calendar';

/** 10000-01-01T00:00:00.000Z: from there on `toISOString()` writes a six-digit year with a sign. */
const YEAR_10000_MS = 253_402_300_800_000;

const ZERO = 0x30;
const COLON = 0x3a;
const DOT = 0x2e;
const Z = 0x5a;

/**
 * The character codes of `YYYY-MM-DDT` for the last day formatted: events written together
 * mostly share it.
 */
let lastDay = Number.NaN;
const dayCodes: number[] = new Array<number>(11).fill(0);

/** `YYYY-MM-DDT` of a day counted from 1970-01-01 (from 1970 to 9999: four-digit years). */
function dayText(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T`;
}

/**
 * The text `date.toISOString()` gives (`2026-12-07T10:00:00.123Z`: UTC, milliseconds, `Z`), in
 * about a quarter of its time: core writes one per event it serializes as JSON, and a
 * `proto()` can call it for a string timestamp field. The text is built in one piece from
 * character codes: joined pieces would make a tree of strings that every later reader (an
 * encoder, a hash) first copies into one. Dates before 1970 or from the year 10000 on, and
 * invalid ones (a `RangeError`), are left to `toISOString()` itself.
 */
export function formatTimestamp(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= 0 && ms < YEAR_10000_MS)) return date.toISOString();
  const day = Math.floor(ms / DAY_MS);
  const d = dayCodes;
  if (day !== lastDay) {
    const text = dayText(day);
    for (let i = 0; i < 11; i += 1) d[i] = text.charCodeAt(i);
    lastDay = day;
  }
  // Below 86,400,000: small integers from here on, which the engine divides fastest.
  let rest = (ms - day * DAY_MS) | 0;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  const m1 = (millis / 10) | 0;
  return String.fromCharCode(
    d[0] as number, d[1] as number, d[2] as number, d[3] as number, d[4] as number, d[5] as number, d[6] as number, d[7] as number, d[8] as number, d[9] as number, d[10] as number,
    ZERO + ((hours / 10) | 0), ZERO + (hours % 10), COLON,
    ZERO + ((minutes / 10) | 0), ZERO + (minutes % 10), COLON,
    ZERO + ((seconds / 10) | 0), ZERO + (seconds % 10), DOT,
    ZERO + ((m1 / 10) | 0), ZERO + (m1 % 10), ZERO + (millis % 10), Z,
  );
}
