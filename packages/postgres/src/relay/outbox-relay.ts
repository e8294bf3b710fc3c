import { ConfigurationError, consoleLogger, exponentialBackoff, type Backoff, type Logger, type MessageBroker } from '@cqrs/core';
import { describeError } from '@cqrs/core/transport';
import type { PgListeningClient, PgNotification, PgPool, PgPoolClient } from '../pg-client';
import { OutboxPublishError } from '../errors';
import { checkSchema, outboxChannel } from '../schema-name';
import { cleanupOutbox } from '../cleanup';
import { claimRows } from './claim-rows';
import { orderKey, rowToMessage, type OutboxRow } from './outbox-row';
import type { OutboxRelayOptions, OutboxRelayStats } from './relay-options';

interface Failure {
  readonly row: OutboxRow;
  readonly error: unknown;
}

/**
 * Publishes `cqrs_outbox` rows to a message broker [EventProducer]. Each cycle claims a batch
 * in a transaction (`FOR UPDATE SKIP LOCKED`, so several relays share the work and no row is
 * published twice while they run normally), publishes it in `seq` order, marks the rows
 * published and commits. A failed row is tried again after a backoff and parked after
 * `maxAttempts`, with its error; later rows of its key wait for it, keyless rows and other keys
 * go on. The relay wakes on the outbox trigger's `NOTIFY` and polls as a fallback. Delivery is
 * at least once: a crash between publishing and committing publishes those rows again.
 */
export class OutboxRelay {
  readonly #pool: PgPool<PgListeningClient>;
  readonly #broker: MessageBroker;
  readonly #schema: string;
  readonly #table: string;
  readonly #batchSize: number;
  readonly #pollIntervalMs: number;
  readonly #listen: boolean;
  readonly #maxAttempts: number;
  readonly #backoff: Backoff;
  readonly #logger: Logger;
  readonly #retainPublishedMs: number | undefined;
  readonly #cleanupIntervalMs: number;
  #stats: { -readonly [K in keyof OutboxRelayStats]: OutboxRelayStats[K] } = { published: 0, failed: 0, parked: 0, cycles: 0, lastLagMs: undefined };
  #running: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #notified = false;
  #listener: PgListeningClient | undefined;
  #lastCleanup = 0;

  constructor(options: OutboxRelayOptions) {
    this.#pool = options.pool;
    this.#broker = options.broker;
    this.#schema = checkSchema(options.schema);
    this.#table = `${this.#schema}.cqrs_outbox`;
    this.#batchSize = positiveInteger('batchSize', options.batchSize ?? 100);
    this.#maxAttempts = positiveInteger('maxAttempts', options.maxAttempts ?? 10);
    this.#pollIntervalMs = positiveInteger('pollIntervalMs', options.pollIntervalMs ?? 1000);
    this.#cleanupIntervalMs = positiveInteger('cleanupIntervalMs', options.cleanupIntervalMs ?? 60_000);
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
    this.#running = this.#loop();
  }

  /** Finishes the cycle in progress (its rows are published and marked), stops, and releases the connections. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
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
    const client = await this.#pool.connect();
    let broken = false;
    let outcome: { published: number; outage: boolean; rows: number };
    try {
      await client.query('BEGIN');
      const rows = await claimRows(client, this.#table, this.#batchSize);
      outcome = { published: 0, outage: false, rows: rows.length };
      if (rows.length > 0) {
        const result = await this.#publish(rows);
        outcome = { published: result.published.length, outage: result.outage, rows: rows.length };
        await this.#record(client, result.published, result.failures, result.outage);
      }
      await client.query('COMMIT');
      this.#stats.cycles += 1;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
    if (outcome.outage) throw new OutboxPublishError(outcome.rows);
    return outcome.published;
  }

  async #loop(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      let published = 0;
      try {
        this.#notified = false;
        published = await this.runOnce();
        failures = 0;
        await this.#maybeCleanup();
      } catch (error) {
        failures += 1;
        this.#logger.warn(`outbox relay cycle failed (${failures} in a row); backing off`, { error: errorText(error), schema: this.#schema });
        await this.#sleep(this.#backoff(failures), false);
        continue;
      }
      // A full batch means more is waiting; a notification during the cycle means new rows.
      if (published >= this.#batchSize || this.#notified) continue;
      await this.#sleep(this.#pollIntervalMs, true);
    }
  }

  /**
   * Publishes rows in order: the whole batch at once, and on failure one by one so one bad row
   * does not hold back the others. When nothing at all goes through (the broker is down), the
   * cycle is an outage: attempts are not counted against the rows.
   */
  async #publish(rows: readonly OutboxRow[]): Promise<{ published: OutboxRow[]; failures: Failure[]; outage: boolean }> {
    try {
      if (rows.length === 1) await this.#broker.sendMessage(rowToMessage(rows[0] as OutboxRow));
      else if (this.#broker.sendMessages !== undefined) await this.#broker.sendMessages(rows.map(rowToMessage));
      else for (const row of rows) await this.#broker.sendMessage(rowToMessage(row));
      return { published: [...rows], failures: [], outage: false };
    } catch (error) {
      if (rows.length === 1) return { published: [], failures: [{ row: rows[0] as OutboxRow, error }], outage: false };
    }
    const published: OutboxRow[] = [];
    const failures: Failure[] = [];
    const failedKeys = new Set<string>();
    for (const row of rows) {
      const key = orderKey(row);
      if (failedKeys.has(key)) continue; // a later row of a failed key waits for it
      try {
        await this.#broker.sendMessage(rowToMessage(row));
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

  async #record(client: PgPoolClient, published: readonly OutboxRow[], failures: readonly Failure[], outage: boolean): Promise<void> {
    if (published.length > 0) {
      const marked = await client.query<{ lag_ms: number }>(
        `UPDATE ${this.#table} SET published_at = now() WHERE seq = ANY($1::bigint[])
          RETURNING (extract(epoch FROM (published_at - created_at)) * 1000)::float8 AS lag_ms`,
        [published.map((row) => row.seq)],
      );
      this.#stats.published += published.length;
      const last = marked.rows[marked.rows.length - 1];
      if (last !== undefined) this.#stats.lastLagMs = last.lag_ms;
    }
    for (const { row, error } of failures) {
      const message = errorText(error);
      if (outage) {
        await client.query(`UPDATE ${this.#table} SET last_error = $2 WHERE seq = $1`, [row.seq, message]);
        continue;
      }
      const attempts = row.attempts + 1;
      this.#stats.failed += 1;
      if (attempts >= this.#maxAttempts) {
        this.#stats.parked += 1;
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
  }

  async #maybeCleanup(): Promise<void> {
    if (this.#retainPublishedMs === undefined || Date.now() - this.#lastCleanup < this.#cleanupIntervalMs) return;
    this.#lastCleanup = Date.now();
    await cleanupOutbox(this.#pool, { schema: this.#schema, olderThanMs: this.#retainPublishedMs });
  }

  /** Waits `ms`, or less when stopped or (if `wakeOnNotify`) notified. */
  #sleep(ms: number, wakeOnNotify: boolean): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = wakeOnNotify ? done : () => (this.#stopping ? done() : undefined);
    });
  }

  readonly #onNotification = (_notification: PgNotification): void => {
    this.#notified = true;
    this.#wake?.();
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
