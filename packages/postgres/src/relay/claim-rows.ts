import type { PgQueryable } from '../pg-client';
import { ROW_COLUMNS, type OutboxRow } from './outbox-row';

const PENDING = 'published_at IS NULL AND parked_at IS NULL';

interface WindowRow {
  readonly seq: string;
  readonly aggregatetype: string;
  readonly aggregateid: string | null;
}

/** How many pending rows, per row claimed, a cycle looks at to find the heads of keys. */
const WINDOW_FACTOR = 2;

/**
 * Claims up to `limit` publishable rows in the caller's open transaction, locked until it ends.
 *
 * 1. A window: the first `limit × 2` pending rows in `seq` order (the partial index, no lock).
 *    It is a prefix of the pending rows, so each key in it has its earliest pending row, its
 *    head, in it; keyless rows are heads of their own.
 * 2. The heads that are due now, locked with `FOR UPDATE SKIP LOCKED`: concurrent relays each
 *    get different heads and never wait for one another, and a head another relay published
 *    meanwhile no longer matches.
 * 3. For the keys whose head this relay holds, the rows after it in the window, in order,
 *    locked with a plain `FOR UPDATE`: no other relay can hold them, since it would need the
 *    head first, so this never blocks in practice and keeps a key's rows contiguous.
 *
 * Steps 2 and 3 look rows up by primary key, so their plans do not depend on the table's
 * statistics, and a cycle costs about the same with a backlog of a thousand rows or of
 * millions. Rows come back in `seq` order, the order they are published in. Each `ORDER BY`
 * names the table's column (`o.seq`): a bare `seq` would sort by the `seq::text` output column,
 * where "10" comes before "9".
 */
export async function claimRows(client: PgQueryable, table: string, limit: number): Promise<OutboxRow[]> {
  const window = (await client.query<WindowRow>(`SELECT o.seq::text AS seq, aggregatetype, aggregateid FROM ${table} o WHERE ${PENDING} ORDER BY o.seq LIMIT $1`, [limit * WINDOW_FACTOR]))
    .rows;
  if (window.length === 0) return [];
  const heads: string[] = [];
  const seen = new Set<string>();
  for (const row of window) {
    if (row.aggregateid === null) {
      heads.push(row.seq);
      continue;
    }
    const key = `${row.aggregatetype}\u0000${row.aggregateid}`;
    if (seen.has(key)) continue;
    seen.add(key);
    heads.push(row.seq);
  }
  const locked = (
    await client.query<OutboxRow>(
      `SELECT ${ROW_COLUMNS} FROM ${table} o WHERE o.seq = ANY($1::bigint[]) AND ${PENDING} AND available_at <= now() ORDER BY o.seq LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [heads, limit],
    )
  ).rows;
  const heldKeys = new Set<string>();
  const headSeqs = new Set<string>();
  for (const row of locked) {
    headSeqs.add(row.seq);
    if (row.aggregateid !== null) heldKeys.add(`${row.aggregatetype}\u0000${row.aggregateid}`);
  }
  if (heldKeys.size === 0 || locked.length >= limit) return locked;
  const followUps: string[] = [];
  for (const row of window) {
    if (followUps.length + locked.length >= limit) break;
    if (row.aggregateid === null || headSeqs.has(row.seq)) continue;
    if (heldKeys.has(`${row.aggregatetype}\u0000${row.aggregateid}`)) followUps.push(row.seq);
  }
  if (followUps.length === 0) return locked;
  const rest = (await client.query<OutboxRow>(`SELECT ${ROW_COLUMNS} FROM ${table} o WHERE o.seq = ANY($1::bigint[]) AND ${PENDING} ORDER BY o.seq FOR UPDATE`, [followUps])).rows;
  return [...locked, ...rest].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
}
