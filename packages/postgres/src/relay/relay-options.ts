import type { Backoff, Logger, MessageBroker } from '@cqrs/core';
import type { PgListeningClient, PgPool } from '../pg-client';

/** What the relay does to a row once published: `mark` sets `published_at`, `delete` removes it. */
export type OnPublished = 'mark' | 'delete';

/** Options of `OutboxRelay`. */
export interface OutboxRelayOptions {
  /** Where rows are read from; one connection per running cycle (`concurrency`), plus one held for `LISTEN`. */
  readonly pool: PgPool<PgListeningClient>;
  /**
   * Where rows are published: any `MessageBroker` whose `valueSerializer` is
   * `encodedValueSerializer()`, so the stored bytes go out unchanged.
   */
  readonly broker: MessageBroker;
  /** Schema of `cqrs_outbox`; default `public`. */
  readonly schema?: string;
  /** Rows claimed and published per cycle; default 100. */
  readonly batchSize?: number;
  /**
   * Payload bytes claimed per cycle, at most (a cycle always takes one row): keeps a batch of
   * large events within what the broker takes in one request. Default 64 MiB.
   */
  readonly maxBatchBytes?: number;
  /**
   * Cycles that run side by side, each in its own transaction and connection, each claiming
   * other keys: one publishes while the next claims, so the database and the broker work at
   * the same time. Per-key order holds as with several relays. Default 2.
   */
  readonly concurrency?: number;
  /**
   * Prepare the claim's two statements (SQL `PREPARE`, from a `DO` block) on each connection at
   * its first claim, so PostgreSQL parses them once per connection and plans them again only
   * when the table changes, instead of both on every cycle; default true. A claim that fails in
   * a way preparing causes (statements dropped by `DEALLOCATE` or `DISCARD ALL`, a name held by
   * another statement, a returned column's type changed by a migration, `plpgsql` not usable)
   * costs one failed cycle and a warning, then the relay claims with plain statements. Set false
   * behind a pooler that gives each transaction another server connection (PgBouncer in
   * transaction mode), or where `DO` blocks are not allowed.
   */
  readonly prepareStatements?: boolean;
  /** How often to look for rows when no notification came; default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** `LISTEN` for the outbox trigger's notifications, so rows go out within milliseconds; default true. */
  readonly listen?: boolean;
  /** A row that failed this many times is parked with its last error; default 10. */
  readonly maxAttempts?: number;
  /** Delay before a failed row is tried again, and before the next cycle after a failed one; default exponential 100 ms to 30 s. */
  readonly backoff?: Backoff;
  /**
   * What happens to a row once published. `mark` (the default) sets `published_at` and keeps
   * the row until cleanup (`retainPublishedMs` or `cleanupOutbox`): a record of what went out,
   * and an event id saved twice meanwhile is refused. `delete` removes it in the same
   * transaction: 3–5 times less database work than marking (no new row version, no index
   * entries), and the table holds only what is pending or parked.
   */
  readonly onPublished?: OnPublished;
  /** With `onPublished: 'mark'`, deletes published rows older than this many ms, checked every `cleanupIntervalMs`; default: never (call `cleanupOutbox`). */
  readonly retainPublishedMs?: number;
  /** Default 60 000 ms. */
  readonly cleanupIntervalMs?: number;
  /** Default: console, warnings and errors only. */
  readonly logger?: Logger;
}

/** What a relay did since it was built, for metrics. */
export interface OutboxRelayStats {
  /** Rows published (and marked or deleted). */
  readonly published: number;
  /** Failed publish attempts recorded on rows. */
  readonly failed: number;
  /** Rows parked after their last attempt. */
  readonly parked: number;
  /** Claim-and-publish cycles run. */
  readonly cycles: number;
  /** Milliseconds the newest row of a cycle waited, from its insert to its claim: the last cycle that published its newest row. */
  readonly lastLagMs: number | undefined;
}
