/**
 * The parts of node-postgres this package calls, as structural types: a `pg.Pool` and its
 * `PoolClient` fit them, and so do pg-compatible pools, without this package's declarations
 * requiring `@types/pg`.
 */

/** One result of `query`. */
export interface PgQueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number | null;
}

/** Anything that runs SQL with positional parameters (`$1`, `$2`, ...). */
export interface PgQueryable {
  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<PgQueryResult<R>>;
}

/**
 * A query as node-postgres' `QueryArrayConfig`: rows come back as arrays, their values parsed
 * by the query's own `types` rather than the application's `pg.types`.
 */
export interface PgArrayQuery {
  readonly text: string;
  readonly rowMode: 'array';
  readonly types?: { getTypeParser(oid: number): (text: string) => unknown };
}

/** A connection checked out of a pool: `pg.PoolClient`. */
export interface PgPoolClient extends PgQueryable {
  /** Returns the connection; an error destroys it instead. */
  release(error?: Error | boolean): void;
}

/** A notification a `LISTEN`ing connection received. */
export interface PgNotification {
  readonly channel: string;
  readonly payload?: string | undefined;
}

/**
 * What the relay needs of a connection: `pg.PoolClient` or `pg.Client`. It runs its claim as a
 * config object, and `LISTEN`s.
 */
export interface PgListeningClient extends PgPoolClient {
  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<PgQueryResult<R>>;
  /** A query given as a config object; a multi-statement one answers with one result per statement. */
  query(config: PgArrayQuery): Promise<unknown>;
  on(event: 'notification', listener: (notification: PgNotification) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'notification', listener: (notification: PgNotification) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** A connection pool: `pg.Pool`. */
export interface PgPool<C extends PgPoolClient = PgPoolClient> {
  connect(): Promise<C>;
}
