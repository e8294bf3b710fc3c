import { DAY_MS, daysFromCivil, daysInMonth } from './civil-calendar';

/**
 * How a timestamp without a UTC offset (`2026-12-01T08:08:00.835014`, what python-cqrs 5.x
 * writes from `datetime.now()`) is placed in time: `'UTC'` (the default), `'local'` (the
 * process's time zone, as `Date.parse` does, so `TZ` changes the instant), or an IANA zone
 * name such as `'Asia/Kolkata'` (the writer's zone, when it is known and fixed).
 */
export type NaiveTimeZone = 'UTC' | 'local' | (string & {});

/** What `parseTimestamp` does with digits below the millisecond, which a `Date` cannot hold. */
export type SubMillisecondPolicy = 'truncate' | 'reject';

/** Options of `parseTimestamp`. */
export interface TimestampOptions {
  /** The zone of naive timestamps; `'UTC'` by default. */
  readonly naiveTimeZone?: NaiveTimeZone;
  /**
   * `'truncate'` (the default) drops microseconds and nanoseconds toward the past
   * (`.835014` → `.835`); `'reject'` reads a timestamp with a non-zero digit below the
   * millisecond as invalid (`NaN`), for consumers that must not lose them.
   */
  readonly subMillisecond?: SubMillisecondPolicy;
}

/**
 * ISO 8601 / RFC 3339 as Python's `isoformat()`, orjson, pydantic and `toISOString()` write it:
 * a date, optionally `T` or a space and a time with up to 9 fraction digits, optionally `Z` or
 * an offset `±HH`, `±HH:MM`, `±HHMM`.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/**
 * Milliseconds since the epoch of a timestamp string, `NaN` when it is not one. ISO 8601 forms
 * (see `ISO`) are read here: zoned ones at their offset, naive ones in `naiveTimeZone` (UTC by
 * default, unlike `Date.parse`, which uses the process's zone), fractions below the millisecond
 * truncated or rejected. Other forms (`Wed, 01 May 2024 10:00:00 GMT`) go to `Date.parse`. The
 * form `toISOString()` writes, `2024-05-01T10:00:00.123Z`, is read by hand in a fraction of the
 * time a regular expression takes.
 *
 * A `Date` holds an instant in whole milliseconds between the years -271821 and 275760: the
 * writer's offset (`+05:30`), microseconds and nanoseconds are not kept.
 */
export function parseTimestamp(text: string, options: TimestampOptions = {}): number {
  if (
    text.length !== 24 ||
    text.charCodeAt(4) !== 0x2d || // -
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 || // T
    text.charCodeAt(13) !== 0x3a || // :
    text.charCodeAt(16) !== 0x3a ||
    text.charCodeAt(19) !== 0x2e || // .
    text.charCodeAt(23) !== 0x5a // Z
  ) {
    return parseGeneral(text, options);
  }
  const century = twoDigits(text, 0);
  const yearOfCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hours = twoDigits(text, 11);
  const minutes = twoDigits(text, 14);
  const seconds = twoDigits(text, 17);
  const centis = twoDigits(text, 20);
  const lastDigit = text.charCodeAt(22) - 0x30;
  const year = century * 100 + yearOfCentury;
  if (century < 0 || yearOfCentury < 0 || centis < 0 || lastDigit < 0 || lastDigit > 9 || month < 1 || month > 12 || day < 1 || hours > 23 || minutes > 59 || seconds > 59 || hours < 0 || minutes < 0 || seconds < 0) {
    return Date.parse(text);
  }
  if (day > 28 && day > daysInMonth(year, month)) return Date.parse(text);
  return daysFromCivil(year, month, day) * DAY_MS + hours * 3_600_000 + minutes * 60_000 + seconds * 1_000 + centis * 10 + lastDigit;
}

function parseGeneral(text: string, options: TimestampOptions): number {
  const match = ISO.exec(text);
  if (match === null) return Date.parse(text);
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zulu, sign, offsetHours, offsetMinutes = '00'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hours = Number(h);
  const minutes = Number(mi);
  const seconds = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hours > 23 || minutes > 59 || seconds > 59) return Number.NaN;
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (options.subMillisecond === 'reject' && /[1-9]/.test(fraction.slice(3))) return Number.NaN;
  const wall = daysFromCivil(year, month, day) * DAY_MS + hours * 3_600_000 + minutes * 60_000 + seconds * 1_000 + millis;
  if (zulu !== undefined) return checked(wall);
  if (sign !== undefined) {
    const offH = Number(offsetHours);
    const offM = Number(offsetMinutes);
    if (offH > 23 || offM > 59) return Number.NaN;
    return checked(wall - (sign === '-' ? -1 : 1) * (offH * 3_600_000 + offM * 60_000));
  }
  return checked(fromWallTime(wall, options.naiveTimeZone ?? 'UTC'));
}

/** The largest distance from the epoch a `Date` holds. */
const MAX_DATE_MS = 8.64e15;

function checked(ms: number): number {
  return Math.abs(ms) <= MAX_DATE_MS ? ms : Number.NaN;
}

/** The instant a wall-clock time (as milliseconds of a UTC clock) names in `zone`. */
function fromWallTime(wall: number, zone: NaiveTimeZone): number {
  if (zone === 'UTC') return wall;
  if (zone === 'local') {
    const at = new Date(wall);
    // Date's own rule for local times, years 0-99 included (the constructor maps them to 19xx).
    const local = new Date(2000, 0, 1);
    local.setFullYear(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
    local.setHours(at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds());
    return local.getTime();
  }
  // Two rounds settle the offset at the instant itself, also next to a DST change.
  const guess = wall - offsetAt(zone, wall);
  return wall - offsetAt(zone, guess);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The format that reads an instant's wall-clock fields in `zone`; throws `RangeError` for a
 * zone the runtime does not know, which is how options are checked.
 */
export function zoneFormat(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' });
    formats.set(zone, format);
  }
  return format;
}

/** `zone`'s offset from UTC at `instant`, in milliseconds (whole seconds: what zones have). */
function offsetAt(zone: string, instant: number): number {
  const fields: Record<string, number> = {};
  let bc = false;
  for (const part of zoneFormat(zone).formatToParts(new Date(instant))) {
    if (part.type === 'era') bc = part.value.startsWith('B');
    else if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const year = bc ? 1 - (fields.year as number) : (fields.year as number);
  const wall = daysFromCivil(year, fields.month as number, fields.day as number) * DAY_MS + (fields.hour as number) * 3_600_000 + (fields.minute as number) * 60_000 + (fields.second as number) * 1_000;
  const whole = instant - (((instant % 1_000) + 1_000) % 1_000);
  return wall - whole;
}

/** The number of two decimal digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const high = text.charCodeAt(at) - 0x30;
  const low = text.charCodeAt(at + 1) - 0x30;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
}
