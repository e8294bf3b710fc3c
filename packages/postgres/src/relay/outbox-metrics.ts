import { ConfigurationError } from '@cqrs/core';
import type { PgPool } from '../pg-client';
import { checkSchema } from '../schema-name';
import { statementResults } from '../statement-results';

/** What waits in the outbox, for a gauge or a health check. */
export interface OutboxMetrics {
  /** Rows not published yet (parked rows not included), counted up to `countUpTo`. */
  readonly backlog: number;
  /** The backlog passed `countUpTo` and was not counted further: there are more rows than `backlog`. */
  readonly backlogCapped: boolean;
  /** Age in ms of the first row in line (the least `seq` not published yet); 0 when there is none. */
  readonly lagMs: number;
  /** Rows parked after their last attempt, waiting for someone to look at `last_error`. */
  readonly parked: number;
}

/** Options of `outboxMetrics`. */
export interface OutboxMetricsOptions {
  readonly schema?: string;
  /**
   * Pending rows counted at most: a count reads every pending index entry, about 15 ms per
   * 100,000 rows here, so a scrape during a long outage's backlog of millions stays bounded.
   * @default 1_000_000
   */
  readonly countUpTo?: number;
}

/** The default of `OutboxMetricsOptions.countUpTo`. */
export const DEFAULT_COUNT_UP_TO = 1_000_000;

/**
 * The metrics' one query: each count or row from its own partial index. The backlog stops
 * counting one row past `countUpTo`, which tells a capped count from an exact one.
 */
export const metricsQuery = (table: string, countUpTo: number = DEFAULT_COUNT_UP_TO): string =>
  `SELECT
     (SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE published_at IS NULL AND parked_at IS NULL LIMIT ${countUpTo + 1}) AS pending) AS backlog,
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
export async function outboxMetrics(pool: PgPool, options: OutboxMetricsOptions = {}): Promise<OutboxMetrics> {
  const table = `${checkSchema(options.schema)}.cqrs_outbox`;
  const countUpTo = options.countUpTo ?? DEFAULT_COUNT_UP_TO;
  if (!Number.isSafeInteger(countUpTo) || countUpTo < 1) throw new ConfigurationError(`countUpTo must be a positive integer, got ${countUpTo}`);
  const client = await pool.connect();
  try {
    const [, answer] = statementResults(await client.query(`${METRICS_SETTINGS};\n${metricsQuery(table, countUpTo)}`), 2);
    const row = answer?.rows[0] as { backlog: string; lag_ms: number | null; parked: string } | undefined;
    const counted = Number(row?.backlog ?? 0);
    return { backlog: Math.min(counted, countUpTo), backlogCapped: counted > countUpTo, lagMs: Math.max(0, row?.lag_ms ?? 0), parked: Number(row?.parked ?? 0) };
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
