import { ConfigurationError } from '../errors/errors';
import { isDeserializeError } from '../serde/deserialize-error';
import { exponentialBackoff, type Backoff } from './backoff';

/** How often a nacked message is retried, and how long to wait in between. */
export interface RetryPolicy {
  /** Total deliveries before dead-lettering, the first included; default 3. */
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  /** False for errors where retrying is pointless: dead-letter at once. Default: bad bytes (`DeserializeError`) are not retried, everything else is. */
  readonly isRetriable?: (error: unknown) => boolean;
}

/** Options of `retryPolicy`. */
export interface RetryPolicyOptions {
  readonly maxAttempts?: number;
  readonly backoff?: Backoff;
  readonly isRetriable?: (error: unknown) => boolean;
}

/**
 * A retry policy with defaults: 3 attempts, exponential backoff from 100 ms. Throws
 * `ConfigurationError` unless `maxAttempts` is a positive integer.
 */
export function retryPolicy(options: RetryPolicyOptions = {}): RetryPolicy {
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new ConfigurationError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  return {
    maxAttempts,
    backoff: options.backoff ?? exponentialBackoff(),
    ...(options.isRetriable === undefined ? {} : { isRetriable: options.isRetriable }),
  };
}

/** What to do with a message that was nacked on delivery `attempt`. */
export function nextStep(policy: RetryPolicy, attempt: number, error: unknown): { readonly retry: true; readonly delayMs: number } | { readonly retry: false } {
  const retriable = policy.isRetriable === undefined ? !isDeserializeError(error) : policy.isRetriable(error);
  if (!retriable || attempt >= policy.maxAttempts) return { retry: false };
  return { retry: true, delayMs: policy.backoff(attempt) };
}
