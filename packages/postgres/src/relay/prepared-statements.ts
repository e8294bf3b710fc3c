import { createHash } from 'node:crypto';

/** A statement to `PREPARE` once per connection and `EXECUTE` after. */
export interface PreparedStatement {
  /** Named after the text, so identical statements (two relays on one pool) share one. */
  readonly name: string;
  readonly text: string;
}

export function preparedStatement(text: string): PreparedStatement {
  return { name: `cqrs_outbox_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text };
}

/** What each connection has prepared, per connection object: a connection the pool replaces starts empty. */
const preparedOn = new WeakMap<object, Set<string>>();

/**
 * Which of `statements` this process has not yet prepared on `connection`. `PREPARE` lasts for
 * the session, even when its transaction rolls back.
 */
export function unprepared(connection: object, statements: readonly PreparedStatement[]): PreparedStatement[] {
  const known = preparedOn.get(connection);
  return known === undefined ? [...statements] : statements.filter((statement) => !known.has(statement.name));
}

export function markPrepared(connection: object, statements: readonly PreparedStatement[]): void {
  if (statements.length === 0) return;
  let known = preparedOn.get(connection);
  if (known === undefined) preparedOn.set(connection, (known = new Set()));
  for (const statement of statements) known.add(statement.name);
}

/**
 * One statement that prepares each of `statements` the session does not already hold with
 * that text. A connection can hold them unbeknown to this process: a wrapper object per
 * checkout, or a cycle that failed after preparing. (The texts are the claim's own SQL, with
 * no dollar quotes in them.)
 */
export function prepareMissing(statements: readonly PreparedStatement[]): string {
  const steps = statements.map(({ name, text }) => {
    const prepare = `PREPARE ${name} AS ${text}`;
    return `IF NOT EXISTS (SELECT FROM pg_prepared_statements WHERE name = '${name}' AND statement = $cqrs_text$${prepare}$cqrs_text$) THEN EXECUTE $cqrs_text$${prepare}$cqrs_text$; END IF;`;
  });
  return `DO $cqrs_do$ BEGIN ${steps.join(' ')} END $cqrs_do$`;
}

/**
 * What preparing can cause and plain statements avoid: the session lacks a statement this
 * process prepared on it (26000: `DEALLOCATE`, `DISCARD ALL`, or a pooler such as PgBouncer in
 * transaction mode handing each transaction another server connection); another statement
 * holds the name (42P05); a column the statement returns changed type (0A000, "cached plan must
 * not change result type", after a migration); or the `DO` block that prepares may not run
 * (42501, 42704: no `USAGE` on, or no, `plpgsql`). A plain claim failing the same way fails
 * again, harmlessly.
 */
const PREPARING_ERRORS = new Set(['26000', '42P05', '0A000', '42501', '42704']);

export function isPreparingError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && PREPARING_ERRORS.has(code);
}
