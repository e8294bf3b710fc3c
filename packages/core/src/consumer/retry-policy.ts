import { isCqrsError } from '../errors/cqrs-error';
import { ConfigurationError } from '../errors/errors';
import { isDeserializeError } from '../serde/deserialize-error';
import { exponentialBackoff, type Backoff } from './backoff';

/** How often a nacked message is retried, and how long to wait in between. */
export interface RetryPolicy {
  /** Total deliveries before dead-lettering, the first included; default 3. */
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  /**
   * False for errors where retrying is pointless: dead-letter at once. Default
   * `isRetriableByDefault`: bad bytes (`DeserializeError`) are not retried unless their cause is
   * a retriable `CqrsError` (the schema registry was down), everything else is.
   */
  readonly isRetriable?: (error: unknown) => boolean;
  /**
   * True for errors that say a dependency is down, not that the message is bad: retried for as
   * long as they last, past `maxAttempts`. Default `isTransientDecodeError` (the registry was
   * unreachable); `() => false` caps every retry at `maxAttempts`.
   */
  readonly isOutage?: (error: unknown) => boolean;
}

/** Options of `retryPolicy`. */
export interface RetryPolicyOptions {
  /** Total deliveries, the first included. @default 3 */
  readonly maxAttempts?: number;
  /** @default exponentialBackoff() (100 ms, doubling, capped at 30 s, 20 % jitter) */
  readonly backoff?: Backoff;
  /** @default isRetriableByDefault */
  readonly isRetriable?: (error: unknown) => boolean;
  /** @default isTransientDecodeError */
  readonly isOutage?: (error: unknown) => boolean;
}

/** The defaults of `retryPolicy`. */
export const retryPolicyDefaults = Object.freeze({ maxAttempts: 3 });

/**
 * Bad bytes are final, unless what made them undecodable was transient: a `DeserializeError`
 * whose cause is a retriable `CqrsError` (registry unreachable) is retried like any failure.
 */
export function isRetriableByDefault(error: unknown): boolean {
  return !isDeserializeError(error) || isTransientDecodeError(error);
}

/**
 * A retry policy with defaults (`retryPolicyDefaults`): 3 attempts, exponential backoff from
 * 100 ms. Throws `ConfigurationError` unless `maxAttempts` is a positive integer.
 */
export function retryPolicy(options: RetryPolicyOptions = {}): RetryPolicy {
  const maxAttempts = options.maxAttempts ?? retryPolicyDefaults.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new ConfigurationError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  return {
    maxAttempts,
    backoff: options.backoff ?? exponentialBackoff(),
    ...(options.isRetriable === undefined ? {} : { isRetriable: options.isRetriable }),
    ...(options.isOutage === undefined ? {} : { isOutage: options.isOutage }),
  };
}

/**
 * A decode failure that says nothing of the bytes: the registry (or another service the decoder
 * needs) could not be reached, so the same bytes will decode once it is back.
 */
export function isTransientDecodeError(error: unknown): boolean {
  return isDeserializeError(error) && isCqrsError(error.cause) && error.cause.retriable;
}

/**
 * What to do with a message that was nacked on delivery `attempt`. An outage (`isOutage`, by
 * default a transient decode failure) is retried for as long as it lasts, not `maxAttempts`
 * times: the message is good, and dead-lettering it would move a whole backlog to the DLQ.
 */
export function nextStep(policy: RetryPolicy, attempt: number, error: unknown): { readonly retry: true; readonly delayMs: number } | { readonly retry: false } {
  const retriable = (policy.isRetriable ?? isRetriableByDefault)(error);
  if (!retriable) return { retry: false };
  if (attempt >= policy.maxAttempts && !(policy.isOutage ?? isTransientDecodeError)(error)) return { retry: false };
  return { retry: true, delayMs: policy.backoff(attempt) };
}
