import type { ChannelModel, ConfirmChannel, Message } from 'amqplib';
import { supervisorOptions, type AMQPConnectionOptions } from '../connection/connection-options';
import { topologyError } from '../connection/classify-error';
import { ConnectionSupervisor } from '../connection/connection-supervisor';
import { AMQPClosedError, AMQPConnectionError, AMQPPublishTimeoutError, isAMQPError } from '../errors';
import type { AMQPOutgoingMessage } from './outgoing-message';
import { publishConfirmed, waitForDrain } from './publish-confirmed';
import { ReturnTracker } from './return-tracker';
import { settledWithin } from '../connection/settled-within';

/** Options of `AMQPPublisherAdapter`: the connection (as for the consumer) and how publishes are confirmed. */
export interface AMQPPublisherOptions extends AMQPConnectionOptions {
  /** AMQP `app-id` property on every message. */
  readonly appId?: string;
  /**
   * How long a send may take, waiting for a (re)connection and for the broker's confirm, before
   * it fails with the retriable `AMQPPublishTimeoutError`. @default 30_000
   */
  readonly publishTimeoutMs?: number;
  /**
   * How long `close()` waits for publishes in flight and then for the server to answer the
   * close, so it resolves even when the broker is unreachable; publishes still waiting then
   * fail with `AMQPClosedError`. @default 5_000
   */
  readonly closeTimeoutMs?: number;
}

/** How long `close()` lets sends fail after the socket is gone, at least. */
const SETTLE_AFTER_CLOSE_MS = 100;

/** The defaults of `AMQPPublisherOptions` that are values. */
export const amqpPublisherDefaults = Object.freeze({ publishTimeoutMs: 30_000, closeTimeoutMs: 5_000, connectionName: 'cqrs-publisher' });

interface PublisherSession {
  readonly connection: ChannelModel;
  readonly channel: ConfirmChannel;
  readonly declared: Set<string>;
  /** Matches the channel's `basic.return`s to mandatory publishes. */
  readonly returns: ReturnTracker;
}

/** Exchange types `assertExchange` declares. */
export type AMQPExchangeType = 'topic' | 'direct' | 'fanout' | 'headers';

/** Options of `AMQPPublisherAdapter.assertExchange`. */
export interface AMQPExchangeOptions {
  /**
   * Declares the exchange with the `alternate-exchange` argument: messages no queue is bound for
   * go there instead of being returned. The alternate exchange must exist (declare it first).
   */
  readonly alternateExchange?: string;
}

interface ExchangeDeclaration {
  readonly type: string;
  readonly arguments: Readonly<Record<string, string>>;
}

/**
 * A RabbitMQ producer [KafkaProducerAdapter's twin]: one connection with a confirm channel,
 * opened on first use and rebuilt with backoff when it drops. A publish resolves only once the
 * broker confirmed it; one interrupted by a dropped connection is published again on the next
 * connection (at least once: consumers dedupe by message id), and one that cannot be confirmed
 * within `publishTimeoutMs` fails with `AMQPPublishTimeoutError`. Every publish is `mandatory`:
 * one the broker returns because no queue is bound for it fails with `AMQPUnroutableError`
 * (unless its exchange has an alternate exchange). Nothing is dropped silently.
 * It publishes bytes; `AMQPMessageBroker` owns the value serializer.
 */
export class AMQPPublisherAdapter {
  /** AMQP `app-id` for outgoing messages, if configured. */
  readonly appId: string | undefined;
  readonly #supervisor: ConnectionSupervisor<PublisherSession>;
  readonly #publishTimeoutMs: number;
  readonly #closeTimeoutMs: number;
  #closing: Promise<void> | undefined;
  readonly #exchanges = new Map<string, ExchangeDeclaration>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: AMQPPublisherOptions) {
    this.appId = options.appId;
    this.#publishTimeoutMs = options.publishTimeoutMs ?? amqpPublisherDefaults.publishTimeoutMs;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? amqpPublisherDefaults.closeTimeoutMs;
    this.#supervisor = new ConnectionSupervisor<PublisherSession>(
      supervisorOptions(options, amqpPublisherDefaults.connectionName, { setup: (connection, lost) => this.#setup(connection, lost) }),
    );
  }

  /** True while connected. */
  get connected(): boolean {
    return this.#supervisor.connected;
  }

  /** Connects now instead of on the first publish, so bad credentials show at startup. */
  async connect(): Promise<void> {
    this.#assertOpen();
    await this.#supervisor.start(this.#publishTimeoutMs);
  }

  /** Declares a durable exchange once; it is declared again after every reconnection. */
  assertExchange(name: string, type: AMQPExchangeType = 'topic', options: AMQPExchangeOptions = {}): Promise<void> {
    this.#assertOpen();
    const declaration: ExchangeDeclaration = {
      type,
      arguments: options.alternateExchange === undefined ? {} : { 'alternate-exchange': options.alternateExchange },
    };
    return this.#track(this.#declare(name, declaration));
  }

  async #declare(name: string, declaration: ExchangeDeclaration): Promise<void> {
    this.#exchanges.set(name, declaration);
    const session = await this.#session(Date.now() + this.#publishTimeoutMs);
    try {
      await declareExchange(session, name, declaration);
    } catch (error) {
      // A refused declaration would fail every reconnection too: forget it.
      this.#exchanges.delete(name);
      throw topologyError(error, `exchange '${name}'`);
    }
  }

  /** Publishes one message and resolves once the broker confirmed it. */
  publish(message: AMQPOutgoingMessage): Promise<void> {
    return this.publishMany([message]);
  }

  /** Publishes all messages, then waits for all confirms; what a dropped connection interrupted is sent again. */
  publishMany(messages: readonly AMQPOutgoingMessage[]): Promise<void> {
    this.#assertOpen();
    return this.#track(this.#publishAll(messages));
  }

  /** `closeTimeoutMs`: how long each of `close()`'s two steps may take. */
  get closeTimeoutMs(): number {
    return this.#closeTimeoutMs;
  }

  /**
   * Waits up to `closeTimeoutMs` for publishes in flight, then closes the connection (up to
   * `closeTimeoutMs` again, then the socket is destroyed). Publishes still waiting fail with
   * `AMQPClosedError`, later ones too. Resolves within about twice `closeTimeoutMs`, broker
   * reachable or not.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const deadline = Date.now() + 2 * this.#closeTimeoutMs;
    await settledWithin(this.#inFlight, this.#closeTimeoutMs);
    await this.#supervisor.stop(this.#closeTimeoutMs);
    // What still waited fails with the destroyed socket; let it settle, within the same budget
    // (and a moment at least, so the sends have failed when close() resolves).
    await settledWithin(this.#inFlight, Math.max(SETTLE_AFTER_CLOSE_MS, deadline - Date.now()));
  }

  async #publishAll(messages: readonly AMQPOutgoingMessage[]): Promise<void> {
    const deadline = Date.now() + this.#publishTimeoutMs;
    let pending = messages;
    while (pending.length > 0) {
      const session = await this.#session(deadline);
      const errors = await this.#publishBatch(session, pending, deadline);
      const retry: AMQPOutgoingMessage[] = [];
      let lostWith: Error | undefined;
      for (const [index, error] of errors.entries()) {
        if (error === undefined) continue;
        if (!isConnectionLoss(error)) throw error;
        lostWith = error;
        retry.push(pending[index] as AMQPOutgoingMessage);
      }
      // The channel is gone even if its 'close' event is still queued: wait for a new session.
      if (lostWith !== undefined) this.#supervisor.invalidate(session.connection, lostWith);
      pending = retry;
    }
  }

  async #publishBatch(session: PublisherSession, messages: readonly AMQPOutgoingMessage[], deadline: number): Promise<(Error | undefined)[]> {
    const confirms: Promise<Error | undefined>[] = [];
    for (const message of messages) {
      const pending = publishConfirmed(session.channel, message, session.returns);
      // `confirmed` rejects only with the errors `publishConfirmed` builds.
      confirms.push(pending.confirmed.then(() => undefined, (error: Error) => error));
      if (!pending.flowing) await waitForDrain(session.channel);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AMQPPublishTimeoutError(`RabbitMQ at ${this.#supervisor.where} did not confirm ${messages.length} message(s) within ${this.#publishTimeoutMs} ms`)),
        Math.max(0, deadline - Date.now()),
      );
    });
    try {
      return await Promise.race([Promise.all(confirms), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #session(deadline: number): Promise<PublisherSession> {
    try {
      return await this.#supervisor.session(Math.max(1, deadline - Date.now()));
    } catch (error) {
      if (error instanceof AMQPConnectionError) {
        throw new AMQPPublishTimeoutError(`Could not publish within ${this.#publishTimeoutMs} ms: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }

  async #setup(connection: ChannelModel, lost: (reason: unknown) => void): Promise<PublisherSession> {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined); // 'close' follows and is handled below.
    channel.on('close', () => lost(new AMQPConnectionError('The publisher channel closed')));
    const returns = new ReturnTracker();
    // RabbitMQ sends a message's basic.return before its confirm: the confirm callback sees it.
    channel.on('return', (message: Message) => returns.onReturn(message));
    const session: PublisherSession = { connection, channel, declared: new Set(), returns };
    for (const [name, declaration] of this.#exchanges) {
      try {
        await declareExchange(session, name, declaration);
      } catch (error) {
        throw topologyError(error, `exchange '${name}'`);
      }
    }
    return session;
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#inFlight.add(work);
    void work.catch(() => undefined).finally(() => this.#inFlight.delete(work));
    return work;
  }

  #assertOpen(): void {
    if (this.#closed) throw new AMQPClosedError(`The publisher for ${this.#supervisor.where} was closed`);
  }
}

async function declareExchange(session: PublisherSession, name: string, declaration: ExchangeDeclaration): Promise<void> {
  if (session.declared.has(name)) return;
  await session.channel.assertExchange(name, declaration.type, { durable: true, arguments: declaration.arguments });
  session.declared.add(name);
}

function isConnectionLoss(error: unknown): boolean {
  return isAMQPError(error) && error.code === 'AMQP_CONNECTION';
}
