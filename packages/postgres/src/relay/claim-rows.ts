import type { PgQueryable } from '../pg-client';
import type { OutboxRow } from './outbox-row';

const PENDING = 'o.published_at IS NULL AND o.parked_at IS NULL';

/** A list of `seq` values as one parameter: cheaper to send than a text array of quoted elements. */
const SEQS = (param: string): string => `string_to_array(${param}, ',')::bigint[]`;

/** A claimed row, with how long it waited in the outbox. */
export interface ClaimedRow extends OutboxRow {
  readonly lag_ms: number;
}

/** How many pending rows, per row claimed, a cycle looks at to find the heads of keys. */
const WINDOW_FACTOR = 2;

/**
 * The window as one text, `seq:k` per keyed row (`k` a hash of its topic and key) and a bare
 * `seq` per keyless row, comma-separated in `seq` order. One value instead of a row per pending
 * row: parsing rows, not running SQL, is what a claim costs the relay. Two keys whose hashes
 * collide are treated as one key, which every cycle agrees on: they wait for each other's head,
 * and order holds.
 */
const windowQuery = (table: string): string =>
  `SELECT string_agg(CASE WHEN o.aggregateid IS NULL THEN o.seq::text ELSE o.seq || ':' || hashtext(length(o.aggregatetype) || ':' || o.aggregatetype || o.aggregateid) END,
                     ',' ORDER BY o.seq) AS window
     FROM (SELECT o.seq, o.aggregatetype, o.aggregateid FROM ${table} o WHERE ${PENDING} ORDER BY o.seq LIMIT $1) o`;

const lockQuery = (table: string): string =>
  `SELECT string_agg(l.seq::text, ',') AS locked
     FROM (SELECT o.seq FROM ${table} o WHERE o.seq = ANY(${SEQS('$1')}) AND ${PENDING} AND o.available_at <= now()
            ORDER BY o.seq LIMIT $2 FOR UPDATE SKIP LOCKED) l`;

/** What a claim does to the rows it takes: `mark` sets `published_at`, `delete` removes them. */
export type OnPublished = 'mark' | 'delete';

/** The statement that takes the rows listed in `$1`; `RETURNING` gives them with their lag. */
const TAKE: Record<OnPublished, (table: string) => string> = {
  mark: (table) => `UPDATE ${table} o SET published_at = clock_timestamp() WHERE o.seq = ANY(${SEQS('$1')}) AND ${PENDING}`,
  delete: (table) => `DELETE FROM ${table} o WHERE o.seq = ANY(${SEQS('$1')}) AND ${PENDING}`,
};

/** Takes the rows and returns them as one JSON array of arrays in `seq` order (see `fromJson`). */
const claimQuery = (table: string, onPublished: OnPublished): string =>
  `WITH c AS (${TAKE[onPublished](table)}
                RETURNING o.seq, o.id, o.aggregatetype, o.aggregateid, o.type, o.payload, o.headers, o.attempts,
                          (extract(epoch FROM (clock_timestamp() - o.created_at)) * 1000)::float8 AS lag_ms)
   SELECT json_agg(json_build_array(c.seq::text, c.id, c.aggregatetype, c.aggregateid, c.type, encode(c.payload, 'base64'), c.headers, c.attempts, c.lag_ms)
                   ORDER BY c.seq)::text AS rows
     FROM c`;

/** The savepoint a claim takes its rows after: rolling back to it puts them all back, the head locks stay. */
const SAVEPOINT = 'cqrs_claim';

/**
 * After a cycle that published only some of its rows: puts every claimed row back (the
 * savepoint) and takes just the published ones again, so the rest stay pending as they were.
 */
export async function takeOnly(client: PgQueryable, table: string, onPublished: OnPublished, seqs: readonly string[]): Promise<void> {
  await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
  if (seqs.length > 0) await client.query(TAKE[onPublished](table), [seqs.join(',')]);
}

type RowJson = [string, string, string, string | null, string, string | null, Record<string, string>, number, number];

function fromJson([seq, id, aggregatetype, aggregateid, type, payload, headers, attempts, lag_ms]: RowJson): ClaimedRow {
  // Buffer's base64 decoder skips the line breaks PostgreSQL's `encode` puts in.
  return { seq, id, aggregatetype, aggregateid, type, payload: payload === null ? null : Buffer.from(payload, 'base64'), headers, attempts, lag_ms };
}

/**
 * Claims up to `limit` publishable rows in the caller's open transaction (and says whether
 * pending rows were left behind): they come back taken (marked published, or deleted, as
 * `onPublished` says) and locked until the transaction ends, so a rollback (or a crash)
 * returns them to the outbox, and `takeOnly` puts back the ones the relay could not publish.
 *
 * 1. A window: the first `limit × 2` pending rows in `seq` order (the partial index, no lock).
 *    It is a prefix of the pending rows, so each key in it has its earliest pending row, its
 *    head, in it; keyless rows are heads of their own.
 * 2. The heads that are due now, locked with `FOR UPDATE SKIP LOCKED`: concurrent cycles each
 *    get different heads and never wait for one another, and a head another cycle published
 *    meanwhile no longer matches. Only as many heads as `limit` rows need at the window's rows
 *    per key, so the other keys stay free for a concurrent cycle.
 * 3. A savepoint, then one statement takes the locked heads and the rows after them in the
 *    window, in order: no other cycle can hold those, since it would need the head first.
 *    Rolling back to the savepoint keeps the head locks (PostgreSQL keeps a lock taken before
 *    a savepoint when what came after it is rolled back).
 *
 * Each statement looks rows up by `seq` in an index on `seq` alone, so its plan does not
 * depend on the table's statistics (a table filled before its first `ANALYZE` included), and
 * a cycle costs about the same with a backlog of a thousand rows or of millions. Each answers
 * with one value (a list, or a JSON array), so the relay parses one field per statement, not
 * several per row. Rows come back in `seq` order, the order they are published in.
 */
export async function claimRows(client: PgQueryable, table: string, limit: number, onPublished: OnPublished): Promise<{ rows: ClaimedRow[]; backlog: boolean }> {
  const windowText = (await client.query<{ window: string | null }>(windowQuery(table), [limit * WINDOW_FACTOR])).rows[0]?.window ?? null;
  if (windowText === null) return { rows: [], backlog: false };
  const window = windowText.split(',').map((entry) => {
    const colon = entry.indexOf(':');
    return colon < 0 ? { seq: entry, key: null } : { seq: entry.slice(0, colon), key: entry.slice(colon + 1) };
  });
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
  const lockedText = (await client.query<{ locked: string | null }>(lockQuery(table), [heads.join(','), headLimit])).rows[0]?.locked ?? null;
  if (lockedText === null) return { rows: [], backlog: true };
  const lockedHeads = new Set(lockedText.split(','));
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
  await client.query(`SAVEPOINT ${SAVEPOINT}`);
  const rowsText = (await client.query<{ rows: string | null }>(claimQuery(table, onPublished), [claim.join(',')])).rows[0]?.rows ?? null;
  const claimed = rowsText === null ? [] : (JSON.parse(rowsText) as RowJson[]).map(fromJson);
  return { rows: claimed, backlog: window.length > claimed.length };
}
