const SETTERS = [
  'setTime',
  'setMilliseconds',
  'setUTCMilliseconds',
  'setSeconds',
  'setUTCSeconds',
  'setMinutes',
  'setUTCMinutes',
  'setHours',
  'setUTCHours',
  'setDate',
  'setUTCDate',
  'setMonth',
  'setUTCMonth',
  'setFullYear',
  'setUTCFullYear',
  'setYear',
] as const;

/**
 * A `Date` whose setters throw: `Object.freeze` cannot stop `setTime`, which writes an internal
 * slot, so an event's timestamp would otherwise stay mutable. It is still a `Date` for every
 * reader (`instanceof`, `toISOString`, `getTime`, equality in test matchers).
 */
class FrozenDate extends Date {}

for (const setter of SETTERS) {
  Object.defineProperty(FrozenDate.prototype, setter, {
    value(): never {
      throw new TypeError(`Cannot call ${setter}() on an event timestamp: events are immutable`);
    },
  });
}

/**
 * A copy of `date` whose setters throw. Not frozen with `Object.freeze`: that costs more than
 * the copy and would not stop `Date.prototype.setTime.call(date, 0)` either; the point is to
 * stop accidental mutation.
 */
export function frozenDate(date: Date | number): Date {
  return new FrozenDate(typeof date === 'number' ? date : date.getTime());
}
