import { CqrsError, type CqrsErrorOptions } from '@cqrs/core';

/** Root of the errors of `@cqrs/postgres`; a `CqrsError`, so `isCqrsError` recognises it. */
export class PostgresError extends CqrsError {
  constructor(code: string, message: string, options: CqrsErrorOptions = {}) {
    super(code, message, options);
    this.name = 'PostgresError';
  }
}

/** Code that needs the current unit of work's transaction ran outside one. */
export class NoTransactionError extends PostgresError {
  constructor(what: string) {
    super('NO_TRANSACTION', `${what} needs a transaction: run it inside PgUnitOfWork.run() or the unitOfWorkMiddleware`);
    this.name = 'NoTransactionError';
  }
}

/** A migration failed; `migration` names it, `cause` holds PostgreSQL's error. */
export class MigrationError extends PostgresError {
  constructor(readonly migration: string, cause: unknown) {
    super('MIGRATION_FAILED', `migration ${migration} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}

/** No row of a relay cycle could be published: the broker is taken as down, and the relay backs off. */
export class OutboxPublishError extends PostgresError {
  constructor(readonly rows: number, cause?: unknown) {
    super('OUTBOX_PUBLISH_FAILED', `the message broker took none of ${rows} outbox rows; treating it as unavailable`, { retriable: true, cause });
    this.name = 'OutboxPublishError';
  }
}

/**
 * The pool's client answered a multi-statement query with something other than one result per
 * statement (node-postgres answers an array): the relay cannot read its claim, and rolls back;
 * `outboxMetrics` cannot read its counts.
 */
export class UnsupportedClientError extends PostgresError {
  constructor(detail: string) {
    super('UNSUPPORTED_CLIENT', `@cqrs/postgres needs a client that answers a multi-statement query with one result per statement, as node-postgres (pg) does; ${detail}`);
    this.name = 'UnsupportedClientError';
  }
}
