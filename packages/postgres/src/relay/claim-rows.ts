import type { PgQueryable } from '../pg-client';
import type { OutboxRow } from './outbox-row';
import type { OnPublished } from './relay-options';

const PENDING = 'o.published_at IS NULL AND o.parked_at IS NULL';

/** A list of `seq` values as one parameter: cheaper to send than a text array of quoted elements. */
const SEQS = (param: string): string => `string_to_array(${param}, ',')::bigint[]`;

/** A claimed row, with how long it waited in the outbox. */
export interface ClaimedRow extends OutboxRow {
  readonly lag_ms: number;
}

/** How many pending rows, per row claimed, a cycle looks at to find the heads of keys. */
const WINDOW_FACTOR = 2;

/** What a claim takes at most: `rows` rows and `bytes` payload bytes (one row at least). */
export interface ClaimLimits {
  readonly rows: number;
  readonly bytes: number;
}

/**
 * The window as one text, comma-separated in `seq` order: `seq:size` per keyless row and
 * `seq:size:k` per keyed row, `size` its payload's bytes and `k` a hash of its topic and key.
 * One value instead of a row per pending row: parsing rows, not running SQL, is what a claim
 * costs the relay. Two keys whose hashes collide are treated as one key, which every cycle
 * agrees on: they wait for each other's head, and order holds.
 */
const windowQuery = (table: string): string =>
  `SELECT string_agg(o.seq || ':' || o.size || CASE WHEN o.aggregateid IS NULL THEN '' ELSE ':' || hashtext(length(o.aggregatetype) || ':' || o.aggregatetype || o.aggregateid) END,
                     ',' ORDER BY o.seq) AS window
     FROM (SELECT o.seq, o.aggregatetype, o.aggregateid, coalesce(octet_length(o.payload), 0) AS size
             FROM ${table} o WHERE ${PENDING} ORDER BY o.seq LIMIT $1) o`;

interface WindowRow {
  readonly seq: string;
  readonly size: number;
  /** The key's hash; `null` for a keyless row. */
  readonly key: string | null;
}

function windowRow(entry: string): WindowRow {
  const [seq = '', size = '0', key] = entry.split(':');
  return { seq, size: Number(size), key: key ?? null };
}

const lockQuery = (table: string): string =>
  `SELECT string_agg(l.seq::text, ',' ORDER BY l.seq) AS locked
     FROM (SELECT o.seq FROM ${table} o WHERE o.seq = ANY(${SEQS('$1')}) AND ${PENDING} AND o.available_at <= now()
            ORDER BY o.seq LIMIT $2 FOR UPDATE SKIP LOCKED) l`;

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
 * Claims up to `limits.rows` publishable rows (and `limits.bytes` of payload) in the caller's open transaction (and says whether
 * pending rows were left behind): they come back taken (marked published, or deleted, as
 * `onPublished` says) and locked until the transaction ends, so a rollback (or a crash)
 * returns them to the outbox, and `takeOnly` puts back the ones the relay could not publish.
 *
 * 1. A window: the first `rows × 2` pending rows in `seq` order (the partial index, no lock).
 *    It is a prefix of the pending rows, so each key in it has its earliest pending row, its
 *    head, in it; keyless rows are heads of their own.
 * 2. The heads that are due now, locked with `FOR UPDATE SKIP LOCKED`: concurrent cycles each
 *    get different heads and never wait for one another, and a head another cycle published
 *    meanwhile no longer matches. Only as many heads as `rows` rows need at the window's rows
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
export async function claimRows(client: PgQueryable, table: string, limits: ClaimLimits, onPublished: OnPublished): Promise<{ rows: ClaimedRow[]; backlog: boolean }> {
  const limit = limits.rows;
  const windowText = (await client.query<{ window: string | null }>(windowQuery(table), [limit * WINDOW_FACTOR])).rows[0]?.window ?? null;
  if (windowText === null) return { rows: [], backlog: false };
  const window = windowText.split(',').map(windowRow);
  const heads: WindowRow[] = [];
  const seen = new Set<string>();
  for (const row of window) {
    if (row.key !== null) {
      if (seen.has(row.key)) continue;
      seen.add(row.key);
    }
    heads.push(row);
  }
  const headLimit = Math.min(limit, Math.ceil((limit * heads.length) / window.length));
  const lockedText = (await client.query<{ locked: string | null }>(lockQuery(table), [heads.map((head) => head.seq).join(','), headLimit])).rows[0]?.locked ?? null;
  if (lockedText === null) return { rows: [], backlog: true };
  const locked = new Set(lockedText.split(','));
  // Locked heads first, then their keys' later rows, in order, within the limits;
  // a key whose head did not fit is left whole for the next cycle.
  const claim: string[] = [];
  const heldKeys = new Set<string>();
  let bytes = 0;
  const take = (row: WindowRow): boolean => {
    if (claim.length >= limit || (claim.length > 0 && bytes + row.size > limits.bytes)) return false;
    claim.push(row.seq);
    bytes += row.size;
    return true;
  };
  for (const head of heads) {
    if (!locked.has(head.seq)) continue;
    if (!take(head)) break;
    if (head.key !== null) heldKeys.add(head.key);
  }
  const claimedHeads = new Set(claim);
  for (const row of window) {
    if (row.key === null || !heldKeys.has(row.key) || claimedHeads.has(row.seq)) continue;
    if (!take(row)) break;
  }
  await client.query(`SAVEPOINT ${SAVEPOINT}`);
  const rowsText = (await client.query<{ rows: string | null }>(claimQuery(table, onPublished), [claim.join(',')])).rows[0]?.rows ?? null;
  const claimed = rowsText === null ? [] : (JSON.parse(rowsText) as RowJson[]).map(fromJson);
  return { rows: claimed, backlog: window.length > claimed.length };
}
