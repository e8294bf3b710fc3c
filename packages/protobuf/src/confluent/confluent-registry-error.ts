import { redactUrl } from '@cqrs/core';
import { SchemaRegistryError } from '../errors/protobuf-errors';
import { isRetriableStatus } from '../registry/registry-error';

/**
 * Turns what the Confluent client throws (its `RestError`, an axios network error, anything)
 * into a `SchemaRegistryError` that says which registry and which request failed.
 */
export function confluentRegistryError(error: unknown, what: string, where: string): SchemaRegistryError {
  if (error instanceof SchemaRegistryError) return error;
  const record = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; errorCode?: unknown; code?: unknown; message?: unknown };
  const status = typeof record.status === 'number' ? record.status : undefined;
  const registryCode = typeof record.errorCode === 'number' && record.errorCode > 0 ? record.errorCode : undefined;
  const text = redactUrl(typeof record.message === 'string' ? record.message : String(error));
  let reason: string;
  if (status === 401 || status === 403) reason = `not authorized (HTTP ${status}): check the registry credentials`;
  else if (status === 404 && registryCode === undefined) reason = `HTTP 404 with no registry error code: no Confluent-compatible API answers at ${where}; check the URL's path (Apicurio serves it at /apis/ccompat/v7)`;
  else if (status !== undefined) reason = `HTTP ${status}${registryCode === undefined ? '' : ` (error ${registryCode})`}: ${text}`;
  else if (typeof record.code === 'string') reason = `unreachable (${record.code}): ${text}`;
  else reason = text;
  return new SchemaRegistryError(`schema registry ${where}: ${what} failed: ${reason}`, {
    cause: error,
    retriable: status === undefined || isRetriableStatus(status),
    ...(status === undefined ? {} : { status }),
    ...(registryCode === undefined ? {} : { registryCode }),
  });
}
