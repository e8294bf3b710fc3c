import type { PgPool } from './pg-client';
import { checkSchema } from './schema-name';

/** Options of `cleanupOutbox`. */
export interface CleanupOutboxOptions {
  /** Schema of `cqrs_outbox`; default `public`. */
  readonly schema?: string;
  /** Delete rows published (or, with `unpublished`, inserted) longer ago than this. */
  readonly olderThanMs: number;
  /**
   * Also delete rows never marked published: for tables Debezium reads, where nothing marks
   * rows and the write-ahead log, not the table, is what gets published. Default false.
   */
  readonly unpublished?: boolean;
  /** Rows deleted per statement, so a large cleanup never holds long locks; default 1000. */
  readonly batchSize?: number;
}

/** Options of `cleanupInbox`. */
export interface CleanupInboxOptions {
  /** Schema of `cqrs_inbox`; default `public`. */
  readonly schema?: string;
  /** Forget message ids recorded longer ago than this: redeliveries older than that window are applied again. */
  readonly olderThanMs: number;
  /** Only this consumer's rows; default all. */
  readonly consumer?: string;
  /** Default 1000. */
  readonly batchSize?: number;
}

async function deleteInBatches(pool: PgPool, sql: string, values: readonly unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const client = await pool.connect();
    let deleted: number;
    try {
      deleted = (await client.query(sql, values)).rowCount ?? 0;
    } finally {
      client.release();
    }
    total += deleted;
    if (deleted < (values[values.length - 1] as number)) return total;
  }
}

/** Deletes published outbox rows older than `olderThanMs` (parked rows are kept); resolves to the count. */
export function cleanupOutbox(pool: PgPool, options: CleanupOutboxOptions): Promise<number> {
  const table = `${checkSchema(options.schema)}.cqrs_outbox`;
  const condition = options.unpublished === true ? 'parked_at IS NULL AND created_at < $1' : 'published_at < $1';
  return deleteInBatches(pool, `DELETE FROM ${table} WHERE seq IN (SELECT seq FROM ${table} WHERE ${condition} ORDER BY seq LIMIT $2)`, [
    new Date(Date.now() - options.olderThanMs),
    options.batchSize ?? 1000,
  ]);
}

/** Deletes inbox rows older than `olderThanMs`; resolves to the count. */
export function cleanupInbox(pool: PgPool, options: CleanupInboxOptions): Promise<number> {
  const table = `${checkSchema(options.schema)}.cqrs_inbox`;
  const before = new Date(Date.now() - options.olderThanMs);
  const batch = options.batchSize ?? 1000;
  return options.consumer === undefined
    ? deleteInBatches(pool, `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE received_at < $1 LIMIT $2)`, [before, batch])
    : deleteInBatches(pool, `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE consumer = $2 AND received_at < $1 LIMIT $3)`, [before, options.consumer, batch]);
}
