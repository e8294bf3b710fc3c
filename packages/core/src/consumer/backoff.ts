import { ConfigurationError } from '../errors/errors';

/** Milliseconds to wait before attempt `attempt + 1`, given that `attempt` (1-based) failed. */
export type Backoff = (attempt: number) => number;

/** Options of `exponentialBackoff`. */
export interface ExponentialBackoffOptions {
  /** Delay after the first failure. @default 100 */
  readonly initialMs?: number;
  /** Upper bound of any delay. @default 30_000 */
  readonly maxMs?: number;
  /** Growth per attempt. @default 2 */
  readonly factor?: number;
  /** Fraction of random spread around the delay, 0 to 1. @default 0.2 */
  readonly jitter?: number;
  /** Source of randomness, injectable for tests. */
  readonly random?: () => number;
}

/** The defaults of `exponentialBackoff`. */
export const exponentialBackoffDefaults = Object.freeze({ initialMs: 100, maxMs: 30_000, factor: 2, jitter: 0.2 });

/**
 * Exponential backoff with jitter: initial, initial·factor, ... capped at `maxMs`. Throws
 * `ConfigurationError` for options that cannot work (negative or non-finite delays, a factor
 * below 1, jitter outside 0..1).
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): Backoff {
  const { initialMs, maxMs, factor, jitter } = { ...exponentialBackoffDefaults, ...definedOf(options) };
  const random = options.random ?? Math.random;
  if (!Number.isFinite(initialMs) || initialMs < 0) throw new ConfigurationError(`initialMs must be a finite number >= 0, got ${initialMs}`);
  if (!Number.isFinite(maxMs) || maxMs < initialMs) throw new ConfigurationError(`maxMs must be a finite number >= initialMs (${initialMs}), got ${maxMs}`);
  if (!Number.isFinite(factor) || factor < 1) throw new ConfigurationError(`factor must be a finite number >= 1, got ${factor}`);
  if (!(jitter >= 0 && jitter <= 1)) throw new ConfigurationError(`jitter must be between 0 and 1, got ${jitter}`);
  return (attempt) => {
    const base = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt - 1));
    const spread = base * jitter * (random() * 2 - 1);
    return Math.max(0, Math.min(maxMs, Math.round(base + spread)));
  };
}

/** The options that are set, so an explicit `undefined` keeps the default. */
function definedOf(options: ExponentialBackoffOptions): Partial<Record<'initialMs' | 'maxMs' | 'factor' | 'jitter', number>> {
  const defined: Partial<Record<'initialMs' | 'maxMs' | 'factor' | 'jitter', number>> = {};
  if (options.initialMs !== undefined) defined.initialMs = options.initialMs;
  if (options.maxMs !== undefined) defined.maxMs = options.maxMs;
  if (options.factor !== undefined) defined.factor = options.factor;
  if (options.jitter !== undefined) defined.jitter = options.jitter;
  return defined;
}
