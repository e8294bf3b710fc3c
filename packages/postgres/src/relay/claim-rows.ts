import type { PgQueryable } from '../pg-client';
import { ROW_COLUMNS, type OutboxRow } from './outbox-row';

const PENDING = 'published_at IS NULL AND parked_at IS NULL';

/**
 * Claims up to `limit` publishable rows in the caller's open transaction, locked until it ends.
 *
 * First the heads: pending rows due now whose key has no earlier pending row, taken with
 * `FOR UPDATE SKIP LOCKED`, so concurrent relays each get different heads and never wait for
 * one another. Then, for the keys of those heads, the later pending rows of the same key, in
 * order: no other relay can hold them, since it would need the head first, so a plain
 * `FOR UPDATE` never blocks in practice and keeps a key's rows contiguous. Rows come back in
 * `seq` order, which is the order they are published in.
 */
export async function claimRows(client: PgQueryable, table: string, limit: number): Promise<OutboxRow[]> {
  const heads = (
    await client.query<OutboxRow>(
      `SELECT ${ROW_COLUMNS} FROM ${table} o
        WHERE ${PENDING} AND available_at <= now()
          AND (aggregateid IS NULL OR NOT EXISTS (
            SELECT 1 FROM ${table} p
             WHERE p.aggregatetype = o.aggregatetype AND p.aggregateid = o.aggregateid
               AND p.seq < o.seq AND p.published_at IS NULL AND p.parked_at IS NULL))
        ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    )
  ).rows;
  const keyed = heads.filter((row) => row.aggregateid !== null);
  if (keyed.length === 0 || heads.length >= limit) return heads;
  const followUps = (
    await client.query<OutboxRow>(
      `SELECT ${ROW_COLUMNS} FROM ${table}
        WHERE ${PENDING}
          AND (aggregatetype, aggregateid) IN (SELECT * FROM unnest($1::text[], $2::text[]))
          AND seq <> ALL($3::bigint[])
        ORDER BY seq LIMIT $4 FOR UPDATE`,
      [keyed.map((row) => row.aggregatetype), keyed.map((row) => row.aggregateid), keyed.map((row) => row.seq), limit - heads.length],
    )
  ).rows;
  if (followUps.length === 0) return heads;
  return [...heads, ...followUps].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
}
