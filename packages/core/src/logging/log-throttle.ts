/** What `LogThrottle.admit` decided for one line. */
export interface ThrottleVerdict {
  /** Write this line. */
  readonly log: boolean;
  /** Lines of the same key held back since the last one written (0 when none). */
  readonly suppressed: number;
}

/**
 * Keeps a repeated log line to one per key and interval, so a flood of retries (a registry
 * outage, a failing handler) stays readable: the first line of a key is written, the next ones
 * within `intervalMs` are counted, and the next line written after that says how many were held.
 */
export class LogThrottle {
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #keys = new Map<string, { writtenAt: number; suppressed: number }>();

  constructor(intervalMs = 10_000, now: () => number = Date.now) {
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /** Whether to write a line of `key` now, and how many of its lines were held back before it. */
  admit(key: string): ThrottleVerdict {
    const now = this.#now();
    const seen = this.#keys.get(key);
    if (seen !== undefined && now - seen.writtenAt < this.#intervalMs) {
      seen.suppressed += 1;
      return { log: false, suppressed: seen.suppressed };
    }
    const suppressed = seen?.suppressed ?? 0;
    // Bounded: keys are topic and error type, but a pathological source must not grow it forever.
    if (this.#keys.size >= 1_000 && seen === undefined) this.#keys.clear();
    this.#keys.set(key, { writtenAt: now, suppressed: 0 });
    return { log: true, suppressed };
  }
}
