import { ConfigurationError } from '@cqrs/core';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,39}$/;

/** The default schema of the outbox and inbox tables. */
export const DEFAULT_SCHEMA = 'public';

/**
 * Checks a schema name before it is put into SQL: lower-case letters, digits and `_`, at most
 * 40 characters, so it needs no quoting and the NOTIFY channel built from it stays within
 * PostgreSQL's 63-byte identifier limit.
 */
export function checkSchema(schema: string | undefined): string {
  const name = schema ?? DEFAULT_SCHEMA;
  if (!IDENTIFIER.test(name)) throw new ConfigurationError(`schema must match ${String(IDENTIFIER)}, got '${name}'`);
  return name;
}

/** The NOTIFY channel the outbox table's trigger signals on each insert (see migrations/0001_outbox.sql). */
export function outboxChannel(schema: string): string {
  return `cqrs_outbox.${schema}`;
}
