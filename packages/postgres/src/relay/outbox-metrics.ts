import type { PgPool } from '../pg-client';
import { checkSchema } from '../schema-name';
import { statementResults } from '../statement-results';

/** What waits in the outbox, for a gauge or a health check. */
export interface OutboxMetrics {
  /** Rows not published yet (parked rows not included). */
  readonly backlog: number;
  /** Age in ms of the first row in line (the least `seq` not published yet); 0 when there is none. */
  readonly lagMs: number;
  /** Rows parked after their last attempt, waiting for someone to look at `last_error`. */
  readonly parked: number;
}

/** The metrics' one query: each count or row from its own partial index. */
export const metricsQuery = (table: string): string =>
  `SELECT
     (SELECT count(*) FROM ${table} WHERE published_at IS NULL AND parked_at IS NULL) AS backlog,
     (SELECT (extract(epoch FROM now() - created_at) * 1000)::float8 FROM ${table} WHERE published_at IS NULL AND parked_at IS NULL ORDER BY seq LIMIT 1) AS lag_ms,
     (SELECT count(*) FROM ${table} WHERE parked_at IS NOT NULL) AS parked`;

/**
 * The query's plan whatever the table's statistics say: on a large outbox PostgreSQL has not
 * analyzed yet, it guesses most rows parked and counts them by reading the whole table. Sent
 * with the query as one multi-statement text, which runs as one transaction, the setting's scope.
 */
export const METRICS_SETTINGS = "SELECT set_config('enable_seqscan', 'off', true)";

/**
 * Reads the outbox's backlog, lag and parked count in one query, each from its partial index:
 * the lag from the first row in line alone, the parked count without touching published rows.
 */
export async function outboxMetrics(pool: PgPool, options: { readonly schema?: string } = {}): Promise<OutboxMetrics> {
  const table = `${checkSchema(options.schema)}.cqrs_outbox`;
  const client = await pool.connect();
  try {
    const [, answer] = statementResults(await client.query(`${METRICS_SETTINGS};\n${metricsQuery(table)}`), 2);
    const row = answer?.rows[0] as { backlog: string; lag_ms: number | null; parked: string } | undefined;
    return { backlog: Number(row?.backlog ?? 0), lagMs: Math.max(0, row?.lag_ms ?? 0), parked: Number(row?.parked ?? 0) };
  } finally {
    client.release();
  }
}

/** Puts parked rows back in line (all, or those with the given event ids); resolves to the count. */
export async function requeueParked(pool: PgPool, options: { readonly schema?: string; readonly ids?: readonly string[] } = {}): Promise<number> {
  const table = `${checkSchema(options.schema)}.cqrs_outbox`;
  const client = await pool.connect();
  try {
    const filter = options.ids === undefined ? '' : 'AND id = ANY($1::text[])';
    const result = await client.query(
      `UPDATE ${table} SET parked_at = NULL, attempts = 0, available_at = now() WHERE parked_at IS NOT NULL ${filter}`,
      options.ids === undefined ? [] : [options.ids],
    );
    return result.rowCount ?? 0;
  } finally {
    client.release();
  }
}
