const CQRS_ERROR = Symbol.for('@cqrs/core/CqrsError');

/** Options shared by every error of the framework. */
export interface CqrsErrorOptions {
  /** The error that caused this one. */
  readonly cause?: unknown;
  /** Whether retrying the same operation may succeed. */
  readonly retriable?: boolean;
}

/**
 * Root of every error thrown by `@cqrs/*` packages. Each subclass sets `name` and a stable
 * `code`, so callers can branch without `instanceof` (which fails across duplicate copies).
 */
export class CqrsError extends Error {
  /** Stable machine-readable code, e.g. `HANDLER_NOT_FOUND`. */
  readonly code: string;
  /** Whether retrying the same operation may succeed. */
  readonly retriable: boolean;

  constructor(code: string, message: string, options: CqrsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CqrsError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    Object.defineProperty(this, CQRS_ERROR, { value: true });
  }
}

/** True for any `CqrsError`, also one thrown by another copy of the package (ESM beside CJS). */
export function isCqrsError(value: unknown): value is CqrsError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[CQRS_ERROR] === true;
}
