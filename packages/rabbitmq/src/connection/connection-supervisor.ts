import { redactUrl, type Backoff, type Logger } from '@cqrs/core';
import type { ChannelModel } from 'amqplib';
import { AMQPClosedError, AMQPConnectionError, type AMQPError } from '../errors';
import type { AMQPConnect, AMQPSocketOptions } from './amqp-connect';
import { connectError } from './classify-error';

/** Options of `ConnectionSupervisor`. */
export interface ConnectionSupervisorOptions<S> {
  readonly url: string;
  readonly connect: AMQPConnect;
  readonly socketOptions: AMQPSocketOptions;
  /** Delay before reconnect attempt n (1-based). */
  readonly backoff: Backoff;
  readonly logger: Logger;
  /**
   * Builds what the owner needs on a fresh connection (channels, topology, consumers). Runs after
   * every (re)connection; `lost` tells the supervisor that a channel died, so it reconnects.
   */
  setup(connection: ChannelModel, lost: (reason: unknown) => void): Promise<S>;
  /** Called once per lost session, before reconnecting, so the owner forgets its channels. */
  onLost?(session: S | undefined, reason: unknown): void;
}

type State = 'idle' | 'connecting' | 'ready' | 'waiting' | 'stopped';

interface Waiter<S> {
  resolve(session: S): void;
  reject(error: Error): void;
}

/**
 * Keeps one AMQP connection and the session built on it alive: connects on demand, notices when
 * the connection or a channel drops, and reconnects with backoff until stopped. Callers ask for
 * the current session and wait (bounded) while it is being rebuilt.
 */
export class ConnectionSupervisor<S> {
  readonly #options: ConnectionSupervisorOptions<S>;
  readonly #waiters = new Set<Waiter<S>>();
  #state: State = 'idle';
  #connection: ChannelModel | undefined;
  #session: S | undefined;
  #starting: Promise<S> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #attempt = 0;
  #lastError: AMQPError | undefined;

  constructor(options: ConnectionSupervisorOptions<S>) {
    this.#options = options;
  }

  /** True while a session is ready. */
  get connected(): boolean {
    return this.#state === 'ready';
  }

  /** The URL without its password, for messages. */
  get where(): string {
    return redactUrl(this.#options.url);
  }

  /**
   * Connects for the first time. Refused credentials and topology errors fail at once; an
   * unreachable broker is retried with backoff until `timeoutMs` has passed.
   */
  start(timeoutMs: number): Promise<S> {
    if (this.#state === 'stopped') return Promise.reject(new AMQPClosedError(`The connection to ${this.where} was closed`));
    if (this.#state === 'ready' && this.#session !== undefined) return Promise.resolve(this.#session);
    if (this.#starting !== undefined) return this.#starting;
    if (this.#state !== 'idle') return this.session(timeoutMs);
    this.#starting = this.#initialConnect(Date.now() + timeoutMs).finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  /** The ready session; waits up to `timeoutMs` while (re)connecting, then fails with a retriable error. */
  session(timeoutMs: number): Promise<S> {
    if (this.#state === 'ready' && this.#session !== undefined) return Promise.resolve(this.#session);
    if (this.#state === 'stopped') return Promise.reject(new AMQPClosedError(`The connection to ${this.where} was closed`));
    if (this.#state === 'idle') return this.start(timeoutMs);
    return new Promise<S>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const reason = this.#lastError === undefined ? '' : `: ${this.#lastError.message}`;
        reject(new AMQPConnectionError(`Not connected to RabbitMQ at ${this.where} within ${timeoutMs} ms${reason}`, { cause: this.#lastError }));
      }, timeoutMs);
      const waiter: Waiter<S> = {
        resolve: (session) => {
          clearTimeout(timer);
          resolve(session);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Reports that the session on `connection` is unusable (a channel closed): reconnects, once. */
  invalidate(connection: ChannelModel, reason: unknown): void {
    this.#lost(connection, reason);
  }

  /**
   * Closes the connection and stops reconnecting; waiting callers fail with `AMQPClosedError`.
   * A server that does not answer the close within `timeoutMs` has its socket destroyed, so
   * stopping never hangs on an unreachable broker.
   */
  async stop(timeoutMs = closeTimeoutDefaultMs): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    clearTimeout(this.#timer);
    this.#wake?.();
    const closed = new AMQPClosedError(`The connection to ${this.where} was closed`);
    for (const waiter of this.#waiters) waiter.reject(closed);
    this.#waiters.clear();
    const connection = this.#connection;
    this.#connection = undefined;
    this.#session = undefined;
    if (connection !== undefined) await closeWithin(connection, timeoutMs);
  }

  async #initialConnect(deadline: number): Promise<S> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#connectOnce();
      } catch (error) {
        const typed = connectError(error, this.#options.url);
        this.#lastError = typed;
        if (this.#state === 'stopped') throw typed;
        const delay = this.#options.backoff(attempt);
        if (!typed.retriable || Date.now() + delay >= deadline) {
          this.#state = 'idle';
          throw typed;
        }
        this.#options.logger.warn(`RabbitMQ not reachable, retrying in ${delay} ms`, { url: this.where, error: typed.message });
        await this.#sleep(delay);
        if (this.#current() === 'stopped') throw new AMQPClosedError(`The connection to ${this.where} was closed`);
      }
    }
  }

  async #connectOnce(): Promise<S> {
    this.#state = 'connecting';
    const connection = await this.#options.connect(this.#options.url, this.#options.socketOptions);
    if (this.#current() === 'stopped') {
      await closeQuietly(connection);
      throw new AMQPClosedError(`The connection to ${this.where} was closed`);
    }
    this.#connection = connection;
    // Without an 'error' listener an emitted error would crash the process; 'close' follows it.
    connection.on('error', (error: unknown) => {
      this.#lastError = connectError(error, this.#options.url);
    });
    connection.on('close', (error?: unknown) => this.#lost(connection, error ?? new Error('connection closed')));
    connection.on('blocked', (reason: string) => this.#options.logger.warn('RabbitMQ blocked the connection', { url: this.where, reason }));
    connection.on('unblocked', () => this.#options.logger.info('RabbitMQ unblocked the connection', { url: this.where }));
    let session: S;
    try {
      session = await this.#options.setup(connection, (reason) => this.#lost(connection, reason));
    } catch (error) {
      if (this.#connection === connection) this.#connection = undefined;
      await closeQuietly(connection);
      throw error;
    }
    if (this.#connection !== connection || this.#state !== 'connecting') {
      // The connection dropped or the supervisor stopped while setting up.
      throw this.#lastError ?? new AMQPConnectionError(`Connection to ${this.where} dropped during setup`);
    }
    this.#session = session;
    this.#state = 'ready';
    this.#attempt = 0;
    this.#options.logger.info('connected to RabbitMQ', { url: this.where });
    for (const waiter of this.#waiters) waiter.resolve(session);
    this.#waiters.clear();
    return session;
  }

  #lost(connection: ChannelModel, reason: unknown): void {
    if (this.#connection !== connection) return;
    this.#connection = undefined;
    const session = this.#session;
    this.#session = undefined;
    this.#lastError = connectError(reason, this.#options.url);
    void closeQuietly(connection);
    if (this.#state === 'stopped') return;
    const wasSettingUp = this.#state === 'connecting';
    this.#options.logger.warn('lost the RabbitMQ connection; reconnecting', { url: this.where, reason: this.#lastError.message });
    this.#options.onLost?.(session, reason);
    // A loss during the first connect surfaces through `#initialConnect`, which retries itself.
    if (wasSettingUp && this.#starting !== undefined) return;
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    this.#state = 'waiting';
    this.#attempt += 1;
    const delay = this.#options.backoff(this.#attempt);
    this.#timer = setTimeout(() => void this.#reconnect(), delay);
  }

  async #reconnect(): Promise<void> {
    if (this.#state !== 'waiting') return;
    try {
      await this.#connectOnce();
    } catch (error) {
      if (this.#current() === 'stopped') return;
      const typed = connectError(error, this.#options.url);
      this.#lastError = typed;
      const fields = { url: this.where, error: typed.message };
      const message = `reconnecting to RabbitMQ failed (attempt ${this.#attempt})`;
      if (typed.retriable) this.#options.logger.warn(message, fields);
      else this.#options.logger.error(message, fields);
      if (this.#current() === 'connecting') this.#scheduleReconnect();
    }
  }

  /** The state, read through a call so TypeScript does not narrow it across awaits. */
  #current(): State {
    return this.#state;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(resolve, ms);
    });
  }
}

/** How long `ConnectionSupervisor.stop()` waits for the server to answer the close, by default. */
export const closeTimeoutDefaultMs = 5_000;

/**
 * Closes a connection, waiting at most `timeoutMs` for the server's close-ok; then destroys the
 * socket, which fails whatever still waits on the connection (confirms, RPCs, 'drain').
 */
export async function closeWithin(connection: ChannelModel, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  try {
    const abandoned = await Promise.race([closeQuietly(connection).then(() => false), timedOut]);
    if (abandoned) destroySocket(connection);
  } finally {
    clearTimeout(timer);
  }
}

/** amqplib keeps the socket at `ChannelModel.connection.stream`, outside its typings. */
function destroySocket(connection: ChannelModel): void {
  const stream = (connection as unknown as { connection?: { stream?: { destroy?(error?: Error): void } } }).connection?.stream;
  stream?.destroy?.(new Error('RabbitMQ did not answer the close in time'));
}

/** Closes a connection, ignoring that it may already be closed. */
export async function closeQuietly(closable: { close(): Promise<void> }): Promise<void> {
  try {
    await closable.close();
  } catch {
    // Already closed: nothing left to release.
  }
}
