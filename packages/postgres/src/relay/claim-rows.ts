import type { PgQueryable } from '../pg-client';
import { ROW_COLUMNS, type OutboxRow } from './outbox-row';

const PENDING = 'o.published_at IS NULL AND o.parked_at IS NULL';

interface WindowRow {
  readonly seq: string;
  /** The ordering key, topic and key in one unambiguous string; `null` for a keyless row. */
  readonly key: string | null;
}

/** `length(topic):topic` then the key: no two (topic, key) pairs give the same string. */
const KEY = `CASE WHEN o.aggregateid IS NULL THEN NULL ELSE length(o.aggregatetype) || ':' || o.aggregatetype || o.aggregateid END`;

/** A list of `seq` values as one parameter: cheaper to send than a text array of quoted elements. */
const SEQS = (param: string): string => `string_to_array(${param}, ',')::bigint[]`;

/** A claimed row, with how long it waited in the outbox. */
export interface ClaimedRow extends OutboxRow {
  readonly lag_ms: number;
}

/** How many pending rows, per row claimed, a cycle looks at to find the heads of keys. */
const WINDOW_FACTOR = 2;

/**
 * Claims up to `limit` publishable rows in the caller's open transaction (and says whether
 * pending rows were left behind): they come back marked published and locked until the
 * transaction ends, so a rollback (or a crash) returns them to the outbox, and the relay
 * un-marks the ones it could not publish before it commits.
 *
 * 1. A window: the first `limit × 2` pending rows in `seq` order (the partial index, no lock).
 *    It is a prefix of the pending rows, so each key in it has its earliest pending row, its
 *    head, in it; keyless rows are heads of their own.
 * 2. The heads that are due now, locked with `FOR UPDATE SKIP LOCKED`: concurrent cycles each
 *    get different heads and never wait for one another, and a head another cycle published
 *    meanwhile no longer matches. Only as many heads as `limit` rows need at the window's rows
 *    per key, so the other keys stay free for a concurrent cycle.
 * 3. One `UPDATE` marks the locked heads and the rows after them in the window, in order: no
 *    other cycle can hold those, since it would need the head first.
 *
 * Each statement looks rows up by `seq` in an index on `seq` alone, so its plan does not
 * depend on the table's statistics (a table filled before its first `ANALYZE` included), and
 * a cycle costs about the same with a backlog of a thousand rows or of millions. Rows come
 * back in `seq` order, the order they are published in. Each `ORDER BY` names the table's
 * column (`o.seq`): a bare `seq` would sort by the `seq::text` output column, where "10"
 * comes before "9".
 */
export async function claimRows(client: PgQueryable, table: string, limit: number): Promise<{ rows: ClaimedRow[]; backlog: boolean }> {
  const window = (await client.query<WindowRow>(`SELECT o.seq::text AS seq, ${KEY} AS key FROM ${table} o WHERE ${PENDING} ORDER BY o.seq LIMIT $1`, [limit * WINDOW_FACTOR]))
    .rows;
  if (window.length === 0) return { rows: [], backlog: false };
  const heads: string[] = [];
  /** Each keyed head's key. */
  const headKeys = new Map<string, string>();
  const seen = new Set<string>();
  for (const row of window) {
    const key = row.key;
    if (key !== null && seen.has(key)) continue;
    if (key !== null) {
      seen.add(key);
      headKeys.set(row.seq, key);
    }
    heads.push(row.seq);
  }
  const headLimit = Math.min(limit, Math.ceil((limit * heads.length) / window.length));
  const locked = (
    await client.query<{ seq: string }>(
      `SELECT o.seq::text AS seq FROM ${table} o WHERE o.seq = ANY(${SEQS('$1')}) AND ${PENDING} AND o.available_at <= now() ORDER BY o.seq LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [heads.join(','), headLimit],
    )
  ).rows;
  if (locked.length === 0) return { rows: [], backlog: true };
  const lockedHeads = new Set(locked.map((row) => row.seq));
  const heldKeys = new Set<string>();
  for (const seq of lockedHeads) {
    const key = headKeys.get(seq);
    if (key !== undefined) heldKeys.add(key);
  }
  const claim = [...lockedHeads];
  for (const row of window) {
    if (claim.length >= limit) break;
    if (row.key !== null && heldKeys.has(row.key) && !lockedHeads.has(row.seq)) claim.push(row.seq);
  }
  const claimed = (
    await client.query<ClaimedRow>(
      `UPDATE ${table} o SET published_at = clock_timestamp() WHERE o.seq = ANY(${SEQS('$1')}) AND ${PENDING}
        RETURNING ${ROW_COLUMNS}, (extract(epoch FROM (o.published_at - o.created_at)) * 1000)::float8 AS lag_ms`,
      [claim.join(',')],
    )
  ).rows;
  // seq is a non-negative integer: a shorter text is a smaller number, equal lengths compare as text.
  claimed.sort((a, b) => a.seq.length - b.seq.length || (a.seq < b.seq ? -1 : 1));
  return { rows: claimed, backlog: window.length > claimed.length };
}
