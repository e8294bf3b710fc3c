import type { PgQueryable } from '../pg-client';
import { ROW_COLUMNS, type OutboxRow } from './outbox-row';

const PENDING = 'published_at IS NULL AND parked_at IS NULL';

/** How many pending rows, per row claimed, a cycle looks at to find the heads of keys. */
const WINDOW_FACTOR = 2;

/**
 * Claims up to `limit` publishable rows in the caller's open transaction, locked until it
 * ends, in one statement:
 *
 * 1. `win`: the first `limit × 2` pending rows in `seq` order (the partial index, no lock). It
 *    is a prefix of the pending rows, so each key in it has its earliest pending row, its head,
 *    in it; keyless rows are heads of their own.
 * 2. `heads`: those heads that are due now, locked with `FOR UPDATE SKIP LOCKED`, so
 *    concurrent relays each get different heads and never wait for one another, and a head
 *    another relay published meanwhile no longer matches.
 * 3. `follow`: for the keys whose head this relay holds, the rows after it in the window,
 *    locked with a plain `FOR UPDATE`: no other relay can hold them, since it would need the
 *    head first, so this never blocks in practice and keeps a key's rows contiguous.
 *
 * Rows are looked up by primary key or through the partial index, so a cycle costs the same
 * with a backlog of a thousand rows or of millions. They come back in `seq` order, the order
 * they are published in, at most `limit` of them.
 */
export async function claimRows(client: PgQueryable, table: string, limit: number): Promise<OutboxRow[]> {
  const { rows } = await client.query<OutboxRow>(
    `WITH win AS MATERIALIZED (
       SELECT seq, aggregatetype, aggregateid FROM ${table} WHERE ${PENDING} ORDER BY seq LIMIT $2
     ), candidates AS (
       SELECT DISTINCT ON (aggregatetype, aggregateid) seq FROM win WHERE aggregateid IS NOT NULL ORDER BY aggregatetype, aggregateid, seq
     ), heads AS MATERIALIZED (
       SELECT ${ROW_COLUMNS}, seq AS head_seq FROM ${table}
        WHERE (seq IN (SELECT seq FROM candidates) OR seq IN (SELECT seq FROM win WHERE aggregateid IS NULL))
          AND ${PENDING} AND available_at <= now()
        ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED
     ), follow AS MATERIALIZED (
       SELECT ${ROW_COLUMNS} FROM ${table}
        WHERE seq IN (SELECT w.seq FROM win w JOIN heads h ON h.aggregatetype = w.aggregatetype AND h.aggregateid = w.aggregateid AND w.seq > h.head_seq)
          AND ${PENDING}
        ORDER BY seq LIMIT $1 FOR UPDATE
     )
     SELECT * FROM (
       SELECT seq, id, aggregatetype, aggregateid, type, payload, headers, attempts, created_at FROM heads
       UNION ALL
       SELECT seq, id, aggregatetype, aggregateid, type, payload, headers, attempts, created_at FROM follow
     ) claimed ORDER BY seq::bigint LIMIT $1`,
    [limit, limit * WINDOW_FACTOR],
  );
  return rows;
}
