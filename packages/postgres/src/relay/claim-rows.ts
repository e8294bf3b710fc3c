import { StandardHeaders } from '@cqrs/core';
import type { PgListeningClient, PgQueryable } from '../pg-client';
import { statementResults } from '../statement-results';
import type { OutboxRow } from './outbox-row';
import { isPreparingError, markPrepared, prepareMissing, preparedStatement, unprepared, type PreparedStatement } from './prepared-statements';
import type { OnPublished } from './relay-options';

const PENDING = 'o.published_at IS NULL AND o.parked_at IS NULL';

/** How many pending rows, per row claimed, a cycle looks at to find the heads of keys. */
const WINDOW_FACTOR = 2;

/** How far the window may widen, in windows, while the rows at its start cannot be claimed. */
const MAX_WIDENING = 64;

/** What a claim takes at most: `rows` rows and `bytes` payload bytes (one row at least). */
export interface ClaimLimits {
  readonly rows: number;
  readonly bytes: number;
}

/**
 * The transaction-local setting that carries the chosen `seq` list from the statement that
 * locks the heads to the one that takes the rows, within one round trip. Set before the
 * savepoint, it survives a rollback to it.
 */
const CLAIM_SETTING = 'cqrs.claim';

/** The savepoint a claim takes its rows after: rolling back to it puts them all back, the head locks stay. */
const SAVEPOINT = 'cqrs_claim';

/**
 * Chooses the rows and locks their heads; sets `cqrs.claim` to the chosen `seq` list and
 * answers with it, the window's size and, when no head could be locked, how many heads wait
 * out a backoff.
 *
 * - `w`: the window, the first `window` pending rows in `seq` order (the partial index, no
 *   lock). It is a prefix of the pending rows, so each key in it has its earliest pending
 *   row, its head, in it; keyless rows are heads of their own (`g` tells a row's key apart:
 *   `k` and the key, or `s` and its own `seq`).
 * - `h`, `l`: the heads (each key's least `seq`), and those due now locked with `FOR UPDATE
 *   SKIP LOCKED`: concurrent cycles each get different heads and never wait for one another,
 *   and a head another cycle published meanwhile no longer matches. Only as many heads as
 *   `rows` rows need at the window's rows per key, so the other keys stay free for a
 *   concurrent cycle.
 * - `k`, `c`, `r`: the keys of the locked heads; their rows in the window, the locked heads
 *   first and then the later rows in `seq` order, as long as they fit the limits (a prefix: a
 *   key whose head did not fit is left whole). No other cycle can hold those later rows, since
 *   it would need the head first.
 *
 * Every step groups or matches by hashing, and only the claimed rows are sorted: sorting the
 * window by key (for `DISTINCT ON`, and a window function per key) cost a third more. The
 * CTEs' sizes are guesses to the planner, so `CLAIM_SETTINGS` rules out the nested loops it
 * would otherwise pick for the `IN (SELECT ...)` matches on a table without statistics.
 */
export const chooseQuery = (table: string, { rows, bytes }: ClaimLimits, window: number): string =>
  `WITH w AS MATERIALIZED (
       SELECT o.seq, o.aggregatetype COLLATE "C" AS topic,
              (CASE WHEN o.aggregateid IS NULL THEN 's' || o.seq ELSE 'k' || o.aggregateid END) COLLATE "C" AS g,
              coalesce(octet_length(o.payload), 0) AS size
         FROM ${table} o WHERE ${PENDING} ORDER BY o.seq LIMIT ${window}),
     h AS (SELECT min(w.seq) AS seq FROM w GROUP BY w.topic, w.g),
     l AS (SELECT o.seq FROM ${table} o WHERE o.seq = ANY(ARRAY(SELECT h.seq FROM h)) AND ${PENDING} AND o.available_at <= now()
            ORDER BY o.seq
            LIMIT (SELECT least(${rows}, ceil(${rows} * count(*)::float8 / greatest((SELECT count(*) FROM w), 1)))::bigint FROM h)
              FOR UPDATE SKIP LOCKED),
     k AS MATERIALIZED (SELECT w.topic, w.g FROM w WHERE w.seq IN (SELECT l.seq FROM l)),
     c AS (SELECT w.seq, w.size, w.seq IN (SELECT l.seq FROM l) AS head FROM w WHERE (w.topic, w.g) IN (SELECT k.topic, k.g FROM k)),
     r AS (SELECT c.seq, row_number() OVER o AS n, sum(c.size) OVER o AS bytes FROM c WINDOW o AS (ORDER BY c.head DESC, c.seq))
   SELECT set_config('${CLAIM_SETTING}', coalesce((SELECT string_agg(r.seq::text, ',' ORDER BY r.seq) FROM r WHERE r.n <= ${rows} AND (r.n = 1 OR r.bytes <= ${bytes})), ''), true) AS claim,
          (SELECT count(*) FROM w)::int AS window,
          (CASE WHEN EXISTS (SELECT 1 FROM l) THEN 0
                ELSE (SELECT count(*) FROM ${table} o WHERE o.seq = ANY(ARRAY(SELECT h.seq FROM h)) AND ${PENDING} AND o.available_at > now()) END)::int AS waiting`;

/**
 * The claim transaction's own settings, in one statement. A lost commit only publishes its rows
 * again, so the relay need not wait for the disk; the rows' bytes come back in hex, whatever
 * the database's `bytea_output`; and the plan is the one the claim was built for, whatever the
 * table's statistics say: the window read in `seq` order from the partial index, and the keys
 * matched by hashing. Without statistics (a new table, or one emptied and refilled) or with
 * stale ones (analyzed while the outbox was nearly empty, before an outage built a backlog),
 * PostgreSQL guesses a row or a few: it then read the whole backlog by a bitmap scan and sorted
 * it on every claim (40 ms a claim with 100,000 pending rows, so draining took time squared),
 * or matched the window's rows against the claimed keys by nested loops (17 ms a claim of 500
 * rows instead of 1.6).
 */
export const CLAIM_SETTINGS =
  "SELECT set_config('synchronous_commit', 'off', true), set_config('bytea_output', 'hex', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true), set_config('enable_nestloop', 'off', true), set_config('enable_mergejoin', 'off', true)";

/** The rows listed in `cqrs.claim`. */
const LISTED = `string_to_array(current_setting('${CLAIM_SETTING}'), ',')::bigint[]`;

/** The statement that takes the rows listed in `cqrs.claim`. */
const TAKE: Record<OnPublished, (table: string) => string> = {
  mark: (table) => `UPDATE ${table} o SET published_at = clock_timestamp() WHERE o.seq = ANY(${LISTED}) AND ${PENDING}`,
  delete: (table) => `DELETE FROM ${table} o WHERE o.seq = ANY(${LISTED}) AND ${PENDING}`,
};

/** The headers every row stores that are also columns: `id` and `type` (see `fromRow`). */
const COLUMN_HEADERS = `'{${StandardHeaders.messageId},${StandardHeaders.messageName}}'::text[]`;

/**
 * Takes the chosen rows and returns them in `seq` order, a row as an array (see `fromRow`).
 * Each row's headers come without the two that are columns (and as `{}` when they are not a
 * JSON object, so one odd row cannot fail every claim): unless applications add headers of
 * their own per message, the rest is the same text row after row, so the relay parses it once
 * (`HeaderTexts`). Only the newest row says how long it waited: the relay's lag is that row's.
 */
const takeQuery = (table: string, onPublished: OnPublished): string =>
  `WITH c AS (${TAKE[onPublished](table)}
                RETURNING o.seq, o.id, o.aggregatetype, o.aggregateid, o.type, o.payload, o.headers, o.attempts, o.created_at)
   SELECT c.seq, c.id, c.aggregatetype, c.aggregateid, c.type, c.payload,
          CASE WHEN jsonb_typeof(c.headers) = 'object' THEN c.headers - ${COLUMN_HEADERS} ELSE '{}'::jsonb END, c.attempts,
          CASE WHEN c.seq = (SELECT max(n.seq) FROM c n) THEN date_part('epoch', clock_timestamp() - c.created_at) * 1000 END AS lag_ms
     FROM c ORDER BY c.seq`;

type RowArray = [string, string, string, string | null, string, Buffer | null, Readonly<Record<string, string>>, number, number | null];

/** A claimed row, its headers whole again: the stored ones, then the message name and id from their columns. */
function fromRow([seq, id, aggregatetype, aggregateid, type, payload, stored, attempts]: RowArray): OutboxRow {
  const headers: Record<string, string> = {};
  for (const name in stored) headers[name] = stored[name] as string;
  headers[StandardHeaders.messageName] = type;
  headers[StandardHeaders.messageId] = id;
  return { seq, id, aggregatetype, aggregateid, type, payload, headers, attempts };
}

/** How many distinct header texts a claim keeps parsed before it starts over. */
const MAX_HEADER_TEXTS = 256;

/** Parses each distinct headers text once; the parsed objects are only read (`fromRow` copies them). */
class HeaderTexts {
  readonly #parsed = new Map<string, Readonly<Record<string, string>>>();

  readonly parse = (text: string): Readonly<Record<string, string>> => {
    let headers = this.#parsed.get(text);
    if (headers === undefined) {
      if (this.#parsed.size >= MAX_HEADER_TEXTS) this.#parsed.clear();
      headers = JSON.parse(text) as Record<string, string>;
      this.#parsed.set(text, headers);
    }
    return headers;
  };
}

/** PostgreSQL's type ids for the claim's columns: `bytea`, `int4`, `float8`, `jsonb`. */
const BYTEA = 17;
const INT4 = 23;
const FLOAT8 = 701;
const JSONB = 3802;

/** `bytea` in hex output (`\x...`), which the claim sets for its transaction. */
const fromHex = (text: string): Buffer => Buffer.from(text.slice(2), 'hex');
const asText = (text: string): string => text;

/**
 * The claim's own parsers, whatever the application set on `pg.types`: `bigint` stays text
 * (`seq`), `int4` and `float8` are numbers, `jsonb` (the headers) is parsed and `bytea` is bytes.
 */
function claimTypes(headers: HeaderTexts): { getTypeParser: (oid: number) => (text: string) => unknown } {
  return {
    getTypeParser: (oid) => {
      if (oid === BYTEA) return fromHex;
      if (oid === INT4 || oid === FLOAT8) return Number;
      if (oid === JSONB) return headers.parse;
      return asText;
    },
  };
}

/** Where the choice's and the take's results are among the claim's (see `ClaimScript`), after the preparing one if any, and how many statements it has without it. */
const CHOICE = 2;
const TAKE_RESULT = 4;
const CLAIM_STATEMENTS = 5;

/**
 * The claim's statements for one window size that follow `BEGIN` (and, on a connection not
 * yet known to hold them, the statement that prepares the choice and the take): the settings,
 * the choice, the savepoint and the take; as plain text, or executing the prepared ones.
 */
interface ClaimScript {
  readonly choose: PreparedStatement;
  readonly take: PreparedStatement;
  readonly plain: string;
  readonly executing: string;
}

/** How the claim runs its statements. */
export interface ClaimPreparing {
  /** `PREPARE` the choice and the take once per connection, so PostgreSQL parses them once and plans them again only when the table changes. */
  readonly prepare: boolean;
  /** Called once when preparing failed a claim (see `isPreparingError`); the claim stops preparing. */
  readonly onPreparingFailed?: (error: unknown) => void;
}

/** `seq` values as a literal list; they come from PostgreSQL's own `bigint` output. */
function seqList(seqs: readonly string[]): string {
  const list = seqs.join(',');
  if (!/^(\d+(,\d+)*)?$/.test(list)) throw new TypeError(`not a list of outbox seq values: ${list.slice(0, 80)}`);
  return list;
}

/**
 * The relay's claim on one outbox table. A cycle is two round trips: `begin()` opens the
 * transaction and claims, in one multi-statement query (`BEGIN`, settings, choose and lock,
 * `SAVEPOINT`, take), then `COMMIT` once the rows are published. Every round trip costs the
 * relay and the server more than the statements in it, so a cycle sends as few as it can.
 * The choice and the take are prepared on each connection with its first claim (in the same
 * query) and executed after: parsing and planning them took an eighth of the server's time
 * for a claim.
 *
 * Each statement looks rows up by `seq` in an index on `seq` alone, and the claim's settings
 * keep PostgreSQL to those indexes whatever the table's statistics say, so a cycle costs about
 * the same with a backlog of a thousand rows or of millions. The rows
 * come back as plain columns in `seq` order, the order they are published in, each row an
 * array: building one JSON text of them instead cost the server twice as much.
 */
export class OutboxClaim {
  readonly #table: string;
  readonly #limits: ClaimLimits;
  readonly #onPublished: OnPublished;
  /** The claim's statements per window size. */
  readonly #scripts = new Map<number, ClaimScript>();
  #prepare: boolean;
  readonly #onPreparingFailed: ((error: unknown) => void) | undefined;
  readonly #baseWindow: number;
  /**
   * The window the next claim looks at: `rows × 2`, widened (four times, up to 64 windows) while
   * a full window gave nothing to claim because its keys wait out a backoff, so the keys behind
   * them are reached; back to `rows × 2` after a claim.
   */
  #window: number;
  readonly #types = claimTypes(new HeaderTexts());

  constructor(table: string, limits: ClaimLimits, onPublished: OnPublished, preparing: ClaimPreparing = { prepare: true }) {
    this.#table = table;
    this.#limits = limits;
    this.#onPublished = onPublished;
    this.#prepare = preparing.prepare;
    this.#onPreparingFailed = preparing.onPreparingFailed;
    this.#baseWindow = limits.rows * WINDOW_FACTOR;
    this.#window = this.#baseWindow;
  }

  /**
   * Opens a transaction on `client` and claims up to the limits' publishable rows (and says
   * how long the newest of them waited, whether pending rows were left behind, and whether
   * the next claim will look further):
   * they come back taken (marked published, or deleted) and locked until the transaction ends,
   * so a rollback (or a crash) returns them to the outbox, and `takeOnly` puts back the ones
   * the relay could not publish.
   */
  async begin(client: PgListeningClient): Promise<{ rows: OutboxRow[]; lagMs: number | undefined; backlog: boolean; widened: boolean }> {
    const window = this.#window;
    const script = this.#script(window);
    const preparing = this.#prepare ? unprepared(client, [script.choose, script.take]) : [];
    const first = preparing.length > 0 ? 1 : 0;
    const text = ['BEGIN', ...(first ? [prepareMissing(preparing)] : []), this.#prepare ? script.executing : script.plain].join(';\n');
    let answer: unknown;
    try {
      answer = await client.query({ text, rowMode: 'array', types: this.#types });
    } catch (error) {
      if (this.#prepare && isPreparingError(error)) this.#stopPreparing(error);
      throw error;
    }
    markPrepared(client, preparing);
    // A client answering with the last result only is refused: reading no claim from it would commit taken rows unpublished.
    const answers = statementResults(answer, CLAIM_STATEMENTS + first);
    // The choice's one row: [claim, window, waiting].
    const chosen = answers[CHOICE + first]?.rows[0] ?? [];
    const seen = Number(chosen[1] ?? 0);
    const taken = (answers[TAKE_RESULT + first]?.rows ?? []) as RowArray[];
    const rows = taken.map(fromRow);
    const waiting = Number(chosen[2] ?? 0);
    const widened = this.#adjustWindow(window, seen, rows.length, waiting);
    return { rows, lagMs: taken[taken.length - 1]?.[8] ?? undefined, backlog: seen > rows.length, widened };
  }

  /**
   * After a cycle that published only some of its rows: puts every claimed row back (the
   * savepoint; PostgreSQL keeps the head locks taken before it) and takes just the published
   * ones again, so the rest stay pending as they were.
   */
  async takeOnly(client: PgQueryable, seqs: readonly string[]): Promise<void> {
    // The same take as the claim's, on the published rows only: `cqrs.claim` is set to them.
    await client.query([`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`, `SELECT set_config('${CLAIM_SETTING}', '${seqList(seqs)}', true)`, TAKE[this.#onPublished](this.#table)].join(';\n'));
  }

  /**
   * Widens the window after a full one gave nothing to claim while some of its heads wait out a
   * backoff (heads only held by other cycles are let be: they come free at their commit), and
   * resets it after a claim; true when it widened.
   */
  #adjustWindow(window: number, seen: number, claimed: number, waiting: number): boolean {
    if (claimed > 0 || seen < window || waiting === 0) {
      this.#window = this.#baseWindow;
      return false;
    }
    const wider = Math.min(window * 4, this.#baseWindow * MAX_WIDENING);
    if (wider === window) return false;
    this.#window = wider;
    return true;
  }

  /** A claim failed in a way preparing can cause (see `isPreparingError`): the claim runs plain text from then on. */
  #stopPreparing(error: unknown): void {
    this.#prepare = false;
    this.#onPreparingFailed?.(error);
  }

  #script(window: number): ClaimScript {
    let script = this.#scripts.get(window);
    if (script === undefined) {
      const choose = preparedStatement(chooseQuery(this.#table, this.#limits, window));
      const take = preparedStatement(takeQuery(this.#table, this.#onPublished));
      const around = (choice: string, taking: string): string => [CLAIM_SETTINGS, choice, `SAVEPOINT ${SAVEPOINT}`, taking].join(';\n');
      script = { choose, take, plain: around(choose.text, take.text), executing: around(`EXECUTE ${choose.name}`, `EXECUTE ${take.name}`) };
      this.#scripts.set(window, script);
    }
    return script;
  }
}
