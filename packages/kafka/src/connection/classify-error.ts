import { isCqrsError } from '@cqrs/core';
import { KafkaAuthenticationError, KafkaConnectionError, type KafkaError, KafkaPublishError } from '../errors';
import { scrubText } from './scrub';

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_MISMATCH|ERR_OSSL)/;

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
  readonly originalError?: unknown;
  readonly retryCount?: unknown;
}

/** The error and the errors it wraps (kafkajs nests them in `cause` and `originalError`). */
export function chain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && out.length < 10 && !out.includes(current)) {
    const link = current as ErrorLike;
    out.push(link);
    current = link.cause ?? link.originalError;
  }
  return out;
}

/**
 * A copy of a kafkajs error whose message and stack lost every secret, to keep as `cause`
 * without carrying a password along.
 */
function scrubbedCopy(error: unknown, secrets: readonly string[]): Error {
  if (!(error instanceof Error)) return new Error(scrubText(String(error), secrets));
  const copy = new Error(scrubText(error.message, secrets));
  copy.name = error.name;
  if (error.stack !== undefined) copy.stack = scrubText(error.stack, secrets);
  return copy;
}

/**
 * Turns what kafkajs threw into a typed `KafkaError` whose message names the brokers and says
 * what went wrong, with secrets removed: `KafkaAuthenticationError` for refused credentials or
 * a failed TLS handshake, `KafkaConnectionError` when no broker answered, `KafkaPublishError`
 * (or `fallback`) otherwise. Errors that are already `CqrsError`s pass through.
 */
export function classifyKafkaError(
  error: unknown,
  context: { readonly action: string; readonly brokers: readonly string[]; readonly secrets: readonly string[] },
  fallback: (message: string, cause: Error) => KafkaError = (message, cause) => new KafkaPublishError(message, { cause }),
): Error {
  if (isCqrsError(error)) return error;
  const links = chain(error);
  const cause = scrubbedCopy(error, context.secrets);
  const where = context.brokers.join(',');
  const innermost = links[links.length - 1];
  const detail = scrubText(String(innermost?.message ?? error), context.secrets);
  const retries = links.find((link) => typeof link.retryCount === 'number')?.retryCount as number | undefined;
  const afterRetries = retries === undefined ? '' : ` after ${retries + 1} attempt(s)`;

  if (links.some((link) => link.name === 'KafkaJSSASLAuthenticationError')) {
    return new KafkaAuthenticationError(`${context.action}: the brokers at ${where} refused the SASL credentials: ${detail}`, { cause });
  }
  if (links.some((link) => typeof link.code === 'string' && TLS_CODES.test(link.code))) {
    return new KafkaAuthenticationError(`${context.action}: TLS handshake with ${where} failed: ${detail}`, { cause });
  }
  if (links.some((link) => link.name === 'KafkaJSConnectionError' || link.name === 'KafkaJSNoBrokerAvailableError' || link.name === 'KafkaJSConnectionClosedError')) {
    return new KafkaConnectionError(`${context.action}: could not reach Kafka at ${where}${afterRetries}: ${detail}`, { cause });
  }
  return fallback(`${context.action}${afterRetries}: ${detail}`, cause);
}
