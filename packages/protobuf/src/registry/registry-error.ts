import { redactUrl } from '@cqrs/core';
import { SchemaRegistryError } from '../errors/protobuf-errors';

const RETRIABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** True for HTTP statuses worth another try: timeouts, throttling and 5xx. */
export function isRetriableStatus(status: number): boolean {
  return RETRIABLE_STATUS.has(status) || status >= 500;
}

/** What a registry sends back as its error body: Confluent's `{error_code, message}`. */
interface ErrorBody {
  readonly error_code?: unknown;
  readonly message?: unknown;
}

function shorten(text: string): string {
  const flat = redactUrl(text.replace(/\s+/g, ' ').trim());
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/**
 * A `SchemaRegistryError` for an HTTP answer that is not a success. `where` is the registry's
 * redacted URL. A 404 without a registry error code means no Confluent-compatible API answered
 * at that path, which is almost always a URL without the API root: the message says so.
 */
export function httpRegistryError(status: number, bodyText: string, what: string, where: string): SchemaRegistryError {
  let body: ErrorBody = {};
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (typeof parsed === 'object' && parsed !== null) body = parsed;
  } catch {
    // Not JSON: a proxy's HTML page, a plain-text error.
  }
  const registryCode = typeof body.error_code === 'number' && body.error_code > 0 ? body.error_code : undefined;
  const text = typeof body.message === 'string' ? body.message : bodyText;
  let reason: string;
  if (status === 401 || status === 403) reason = `not authorized (HTTP ${status}): check the registry credentials`;
  else if (status === 404 && registryCode === undefined) {
    reason = `HTTP 404 with no registry error code: no Confluent-compatible API answers at ${where}; check the URL's path (Apicurio serves it at /apis/ccompat/v7, Confluent Schema Registry at the root)`;
  } else reason = `HTTP ${status}${registryCode === undefined ? '' : ` (error ${registryCode})`}${text === '' ? '' : `: ${shorten(text)}`}`;
  return new SchemaRegistryError(`schema registry ${where}: ${what} failed: ${reason}`, {
    retriable: isRetriableStatus(status),
    status,
    ...(registryCode === undefined ? {} : { registryCode }),
  });
}

/** A `SchemaRegistryError` for a request that got no answer (refused, reset, timed out). */
export function unreachableRegistryError(error: unknown, what: string, where: string, timeoutMs: number): SchemaRegistryError {
  const name = (error as { name?: unknown } | null)?.name;
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = (cause as { code?: unknown } | null)?.code ?? (error as { code?: unknown } | null)?.code;
  let reason: string;
  if (name === 'TimeoutError' || name === 'AbortError') reason = `no answer within ${timeoutMs} ms`;
  else {
    // Duck-typed: errors from another realm (a test runner's) are not `instanceof Error` here.
    const messageOf = (value: unknown): string | undefined => (typeof (value as { message?: unknown } | null)?.message === 'string' ? (value as { message: string }).message : undefined);
    const detail = messageOf(cause) ?? messageOf(error) ?? String(error);
    reason = `unreachable${typeof code === 'string' ? ` (${code})` : ''}: ${shorten(detail)}`;
  }
  return new SchemaRegistryError(`schema registry ${where}: ${what} failed: ${reason}`, { cause: error, retriable: true });
}
