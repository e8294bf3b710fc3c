const DAY_MS = 86_400_000;

/** 10000-01-01T00:00:00.000Z: from there on `toISOString()` writes a six-digit year with a sign. */
const YEAR_10000_MS = 253_402_300_800_000;

const pad = (width: number) => (n: number): string => String(n).padStart(width, '0');
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => pad(2)(n));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => pad(3)(n));

/** The `YYYY-MM-DDT` text of the last day formatted: events written together mostly share it. */
let lastDay = Number.NaN;
let lastDayText = '';

/** `YYYY-MM-DDT` of a day since 1970-01-01 (the civil calendar from a day number, in integers). */
function dayText(day: number): string {
  const shifted = day + 719_468; // days since 0000-03-01, so a year ends with February
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[dayOfMonth]}T`;
}

/**
 * The text `date.toISOString()` gives (`2026-12-07T10:00:00.123Z`: UTC, milliseconds, `Z`), in
 * about a third of its time: core writes one per event it serializes as JSON, and a `proto()`
 * can call it for a string timestamp field. Dates before 1970 or from the year 10000 on, and
 * invalid ones (a `RangeError`), are left to `toISOString()` itself.
 */
export function formatTimestamp(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= 0 && ms < YEAR_10000_MS)) return date.toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastDayText = dayText(day);
    lastDay = day;
  }
  let rest = ms - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${lastDayText}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}Z`;
}
