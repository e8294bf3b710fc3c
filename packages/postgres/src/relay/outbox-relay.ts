import { ConfigurationError, consoleLogger, exponentialBackoff, type Backoff, type EncodedPayload, type Logger, type Message, type MessageBroker } from '@cqrs/core';
import { describeError } from '@cqrs/core/transport';
import type { PgListeningClient, PgNotification, PgPool, PgPoolClient } from '../pg-client';
import { OutboxPublishError } from '../errors';
import { checkSchema, outboxChannel } from '../schema-name';
import { cleanupOutbox } from '../cleanup';
import { OutboxClaim } from './claim-rows';
import { orderKey, rowToMessage, type OutboxRow } from './outbox-row';
import type { OnPublished, OutboxRelayOptions, OutboxRelayStats } from './relay-options';

/** 64 MiB: what one claim holds in memory at most, payloads counted. */
const DEFAULT_MAX_BATCH_BYTES = 64 * 1024 * 1024;

/** What a cycle did, added to the stats once it committed. */
interface CycleCounts {
  readonly published: number;
  failed: number;
  parked: number;
  readonly lastLagMs: number | undefined;
}

interface Failure {
  readonly row: OutboxRow;
  readonly error: unknown;
}

/**
 * Publishes `cqrs_outbox` rows to a message broker [EventProducer]. Each cycle claims a batch
 * in a transaction (`FOR UPDATE SKIP LOCKED` on the heads of keys, so several relays, and the
 * `concurrency` cycles of one relay, share the work and no row is published twice while they
 * run normally), publishes it in `seq` order and commits; the claim takes the rows (marks or
 * deletes them, as `onPublished` says), and the ones that failed are put back first. A failed row is tried again after a backoff and parked
 * after `maxAttempts`, with its error; later rows of its key wait for it, keyless rows and
 * other keys go on. The relay wakes on the outbox trigger's `NOTIFY` and polls as a fallback.
 * Delivery is at least once: a crash between publishing and committing publishes those rows
 * again.
 */
export class OutboxRelay {
  readonly #pool: PgPool<PgListeningClient>;
  readonly #broker: MessageBroker;
  readonly #schema: string;
  readonly #table: string;
  readonly #batchSize: number;
  readonly #maxBatchBytes: number;
  readonly #pollIntervalMs: number;
  readonly #listen: boolean;
  readonly #maxAttempts: number;
  readonly #backoff: Backoff;
  readonly #logger: Logger;
  readonly #retainPublishedMs: number | undefined;
  readonly #cleanupIntervalMs: number;
  readonly #concurrency: number;
  readonly #claim: OutboxClaim;
  #stats: { -readonly [K in keyof OutboxRelayStats]: OutboxRelayStats[K] } = { published: 0, failed: 0, parked: 0, cycles: 0, lastLagMs: undefined };
  #running: Promise<void> | undefined;
  #stopping = false;
  /** The sleeping cycles' wake-ups: `true` wakes a cycle that waits for rows, `false` only one that waits out a backoff. */
  readonly #sleepers = new Set<(forRows: boolean) => void>();
  /** Counts notifications and commits that freed rows: a loop that saw it change during its cycle looks again at once. */
  #news = 0;
  #listener: PgListeningClient | undefined;
  #lastCleanup = 0;

  constructor(options: OutboxRelayOptions) {
    this.#pool = options.pool;
    this.#broker = options.broker;
    this.#schema = checkSchema(options.schema);
    this.#table = `${this.#schema}.cqrs_outbox`;
    this.#batchSize = positiveInteger('batchSize', options.batchSize ?? 100);
    this.#maxBatchBytes = positiveInteger('maxBatchBytes', options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES);
    this.#maxAttempts = positiveInteger('maxAttempts', options.maxAttempts ?? 10);
    this.#pollIntervalMs = positiveInteger('pollIntervalMs', options.pollIntervalMs ?? 1000);
    this.#cleanupIntervalMs = positiveInteger('cleanupIntervalMs', options.cleanupIntervalMs ?? 60_000);
    this.#concurrency = positiveInteger('concurrency', options.concurrency ?? 2);
    const onPublished: OnPublished = options.onPublished ?? 'mark';
    if (onPublished !== 'mark' && onPublished !== 'delete') throw new ConfigurationError(`onPublished must be 'mark' or 'delete', got ${String(onPublished)}`);
    this.#claim = new OutboxClaim(this.#table, { rows: this.#batchSize, bytes: this.#maxBatchBytes }, onPublished, {
      prepare: options.prepareStatements ?? true,
      onPreparingFailed: (error) =>
        this.#logger.warn('outbox relay: a claim failed on its prepared statements; claiming with plain statements from now on', {
          schema: this.#schema,
          error: errorText(error),
        }),
    });
    this.#retainPublishedMs = options.retainPublishedMs;
    this.#listen = options.listen ?? true;
    this.#backoff = options.backoff ?? exponentialBackoff({ initialMs: 100, maxMs: 30_000 });
    this.#logger = options.logger ?? consoleLogger();
  }

  /** Counters since the relay was built. */
  get stats(): OutboxRelayStats {
    return { ...this.#stats };
  }

  /** Starts the loop (and the `LISTEN` connection); resolves once it runs. Starting twice is a no-op. */
  async start(): Promise<void> {
    if (this.#running !== undefined) return;
    this.#stopping = false;
    if (this.#listen) await this.#startListening();
    this.#running = Promise.all(Array.from({ length: this.#concurrency }, () => this.#loop())).then(() => undefined);
  }

  /** Finishes the cycles in progress (their rows are published and taken), stops, and releases the connections. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wakeAll(false);
    await this.#running;
    this.#running = undefined;
    this.#stopListening();
  }

  /**
   * Runs one cycle: claims up to `batchSize` rows, publishes them and records the outcome.
   * Resolves to the number of rows published. Used by the loop, and by tests and scripts that
   * drain the outbox without one.
   */
  async runOnce(): Promise<number> {
    return (await this.#cycle()).published;
  }

  /** One cycle; `backlog` says the claim left pending rows behind (other keys, or its keys' later rows), `widened` that the next claim looks further. */
  async #cycle(): Promise<{ published: number; backlog: boolean; widened: boolean }> {
    const client = await this.#pool.connect();
    let broken = false;
    let outcome: { published: number; outage: boolean; rows: number; backlog: boolean; widened: boolean };
    let counts: CycleCounts = { published: 0, failed: 0, parked: 0, lastLagMs: undefined };
    try {
      const { rows, lagMs, backlog, widened } = await this.#claim.begin(client);
      outcome = { published: 0, outage: false, rows: rows.length, backlog, widened };
      if (rows.length > 0) {
        // Other keys are left: a sleeping sibling cycle claims them while this one publishes.
        if (backlog) this.#wakeAll(true);
        const result = await this.#publish(rows);
        outcome = { published: result.published.length, outage: result.outage, rows: rows.length, backlog, widened };
        counts = await this.#record(client, rows, result.published, result.failures, result.outage);
        // The claim knows its newest row's wait: the lag, when that row went out.
        if (result.published[result.published.length - 1] === rows[rows.length - 1]) counts = { ...counts, lastLagMs: lagMs };
      }
      await client.query('COMMIT');
      // Counted once committed: a cycle that rolls back published nothing the outbox knows of.
      this.#stats.cycles += 1;
      this.#stats.published += counts.published;
      this.#stats.failed += counts.failed;
      this.#stats.parked += counts.parked;
      if (counts.lastLagMs !== undefined) this.#stats.lastLagMs = counts.lastLagMs;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
    if (outcome.outage) throw new OutboxPublishError(outcome.rows);
    return outcome;
  }

  /** One of the `concurrency` loops that run side by side, each claiming other keys. */
  async #loop(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      const seen = this.#news;
      let outcome: { published: number; backlog: boolean; widened: boolean };
      try {
        outcome = await this.#cycle();
        failures = 0;
        await this.#maybeCleanup();
      } catch (error) {
        failures += 1;
        this.#logger.warn(`outbox relay cycle failed (${failures} in a row); backing off`, { error: errorText(error), schema: this.#schema });
        await this.#sleep(this.#backoff(failures), false);
        continue;
      }
      const newsMeanwhile = this.#news !== seen;
      const more = outcome.published > 0 && outcome.backlog;
      // The commit freed its keys' later rows: the siblings waiting on them look again.
      if (more) this.#announce();
      // A full batch or rows left behind mean more is waiting; news meanwhile means new or freed
      // rows; a widened window may reach rows this one could not.
      if (outcome.published >= this.#batchSize || more || newsMeanwhile || outcome.widened) continue;
      await this.#sleep(this.#pollIntervalMs, true);
    }
  }

  /**
   * Publishes rows in order: the whole batch at once when the broker sends batches, and on
   * failure (or without a batch send) one by one, so one bad row does not hold back the others.
   * When nothing at all goes through (the broker is down), the cycle is an outage: attempts are
   * not counted against the rows.
   */
  async #publish(rows: readonly OutboxRow[]): Promise<{ published: OutboxRow[]; failures: Failure[]; outage: boolean }> {
    const messages = rows.map(rowToMessage);
    // A broker without a batch send goes row by row from the start: a batch sent one by one and
    // retried from its first row after a failure would publish its first rows twice.
    if (rows.length > 1 && this.#broker.sendMessages !== undefined) {
      try {
        await this.#broker.sendMessages(messages);
        return { published: [...rows], failures: [], outage: false };
      } catch {
        // retried row by row below
      }
    }
    const published: OutboxRow[] = [];
    const failures: Failure[] = [];
    const failedKeys = new Set<string>();
    for (const [index, row] of rows.entries()) {
      const key = orderKey(row);
      if (failedKeys.has(key)) continue; // a later row of a failed key waits for it
      try {
        await this.#broker.sendMessage(messages[index] as Message<EncodedPayload>);
        published.push(row);
      } catch (error) {
        failures.push({ row, error });
        failedKeys.add(key);
        // Two different rows failing with nothing published: the broker is down, not the rows.
        if (published.length === 0 && failures.length >= 2) return { published, failures, outage: true };
      }
    }
    return { published, failures, outage: false };
  }

  /**
   * The claim took every row; when some were not published, this puts them all back and takes
   * the published ones again, then records each failed row's attempt, error and next try (or
   * parks it). The rows behind a failed one stay pending as they were.
   */
  async #record(client: PgPoolClient, rows: readonly OutboxRow[], published: readonly OutboxRow[], failures: readonly Failure[], outage: boolean): Promise<CycleCounts> {
    const counts: CycleCounts = { published: published.length, failed: 0, parked: 0, lastLagMs: undefined };
    if (published.length === rows.length) return counts;
    await this.#claim.takeOnly(client, published.map((row) => row.seq));
    for (const { row, error } of failures) {
      const message = errorText(error);
      if (outage) {
        await client.query(`UPDATE ${this.#table} SET last_error = $2 WHERE seq = $1`, [row.seq, message]);
        continue;
      }
      const attempts = row.attempts + 1;
      counts.failed += 1;
      if (attempts >= this.#maxAttempts) {
        counts.parked += 1;
        this.#logger.error(`outbox row ${row.id} parked after ${attempts} failed attempts`, { eventId: row.id, topic: row.aggregatetype, error: message });
        await client.query(`UPDATE ${this.#table} SET attempts = $2, last_error = $3, parked_at = now() WHERE seq = $1`, [row.seq, attempts, message]);
      } else {
        await client.query(`UPDATE ${this.#table} SET attempts = $2, last_error = $3, available_at = now() + $4 * interval '1 millisecond' WHERE seq = $1`, [
          row.seq,
          attempts,
          message,
          this.#backoff(attempts),
        ]);
      }
    }
    return counts;
  }

  async #maybeCleanup(): Promise<void> {
    if (this.#retainPublishedMs === undefined || Date.now() - this.#lastCleanup < this.#cleanupIntervalMs) return;
    this.#lastCleanup = Date.now();
    await cleanupOutbox(this.#pool, { schema: this.#schema, olderThanMs: this.#retainPublishedMs });
  }

  /** Waits `ms`, or less when stopped or (if `forRows`) when rows may be waiting. */
  #sleep(ms: number, forRows: boolean): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = (rows: boolean): void => {
        if (rows && !forRows) return;
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => wake(forRows), ms);
      this.#sleepers.add(wake);
    });
  }

  #wakeAll(forRows: boolean): void {
    for (const wake of [...this.#sleepers]) wake(forRows);
  }

  /** New rows, or rows freed by a commit: cycles waiting for rows look now, and a busy one looks again when done. */
  #announce(): void {
    this.#news += 1;
    this.#wakeAll(true);
  }

  readonly #onNotification = (_notification: PgNotification): void => {
    this.#announce();
  };

  readonly #onListenerError = (error: Error): void => {
    // The poll goes on; the next start() listens again.
    this.#logger.warn('outbox relay lost its LISTEN connection; polling only', { error: errorText(error) });
    this.#stopListening();
  };

  async #startListening(): Promise<void> {
    const client = await this.#pool.connect();
    client.on('notification', this.#onNotification);
    client.on('error', this.#onListenerError);
    try {
      await client.query(`LISTEN "${outboxChannel(this.#schema)}"`);
    } catch (error) {
      client.removeListener('notification', this.#onNotification);
      client.removeListener('error', this.#onListenerError);
      client.release(true);
      throw error;
    }
    this.#listener = client;
  }

  #stopListening(): void {
    const client = this.#listener;
    if (client === undefined) return;
    this.#listener = undefined;
    client.removeListener('notification', this.#onNotification);
    client.removeListener('error', this.#onListenerError);
    // The connection LISTENs: destroyed rather than returned, so no other user inherits that.
    client.release(true);
  }
}

function errorText(error: unknown): string {
  const { type, message } = describeError(error);
  return `${type}: ${message}`;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new ConfigurationError(`${name} must be a positive integer, got ${value}`);
  return value;
}
