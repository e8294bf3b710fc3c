import { consoleLogger, exponentialBackoff, jsonValueSerializer, type Backoff, type Logger, type ValueSerializer } from '@cqrs/core';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { amqpConnect, type AMQPConnect } from '../connection/amqp-connect';
import { topologyError } from '../connection/classify-error';
import { ConnectionSupervisor } from '../connection/connection-supervisor';
import { AMQPClosedError, AMQPConnectionError, AMQPPublishTimeoutError, isAMQPError } from '../errors';
import type { AMQPOutgoingMessage } from './outgoing-message';
import { publishConfirmed, waitForDrain } from './publish-confirmed';

/** Options of `AMQPPublisherAdapter`. */
export interface AMQPPublisherOptions {
  /** `amqp://user:password@host:5672/vhost` or `amqps://...`; the password is never logged. */
  readonly url: string;
  /** How payloads become bytes; JSON by default, `ProtobufValueSerializer` for Protobuf. */
  readonly valueSerializer?: ValueSerializer;
  /** Shown in the management UI; default `cqrs-publisher`. */
  readonly connectionName?: string;
  /** AMQP `app-id` property on every message. */
  readonly appId?: string;
  /** Heartbeat in seconds; the server's suggestion when omitted. */
  readonly heartbeatSeconds?: number;
  /** Timeout of one TCP connect and handshake; default 10 s. */
  readonly connectTimeoutMs?: number;
  /**
   * How long a send may take, waiting for a (re)connection and for the broker's confirm, before
   * it fails with the retriable `AMQPPublishTimeoutError`; default 30 s.
   */
  readonly publishTimeoutMs?: number;
  /** Delay between reconnect attempts; default exponential from 100 ms up to 5 s. */
  readonly reconnectBackoff?: Backoff;
  /** Extra socket options for `net.connect` / `tls.connect` (certificates for `amqps:`). */
  readonly socketOptions?: Readonly<Record<string, unknown>>;
  readonly logger?: Logger;
  /** Replaces `amqplib.connect`, for tests. */
  readonly connect?: AMQPConnect;
}

interface PublisherSession {
  readonly connection: ChannelModel;
  readonly channel: ConfirmChannel;
  readonly declared: Set<string>;
}

/**
 * A RabbitMQ producer [KafkaProducerAdapter's twin]: one connection with a confirm channel,
 * opened on first use and rebuilt with backoff when it drops. A publish resolves only once the
 * broker confirmed it; one interrupted by a dropped connection is published again on the next
 * connection (at least once: consumers dedupe by message id), and one that cannot be confirmed
 * within `publishTimeoutMs` fails with `AMQPPublishTimeoutError`. Nothing is dropped silently.
 */
export class AMQPPublisherAdapter {
  /** The serializer `AMQPMessageBroker` encodes payloads with. */
  readonly valueSerializer: ValueSerializer;
  /** AMQP `app-id` for outgoing messages, if configured. */
  readonly appId: string | undefined;
  readonly #supervisor: ConnectionSupervisor<PublisherSession>;
  readonly #publishTimeoutMs: number;
  readonly #exchanges = new Map<string, string>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: AMQPPublisherOptions) {
    this.valueSerializer = options.valueSerializer ?? jsonValueSerializer;
    this.appId = options.appId;
    this.#publishTimeoutMs = options.publishTimeoutMs ?? 30_000;
    this.#supervisor = new ConnectionSupervisor<PublisherSession>({
      url: options.url,
      connect: options.connect ?? amqpConnect,
      socketOptions: {
        connectionName: options.connectionName ?? 'cqrs-publisher',
        ...(options.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: options.heartbeatSeconds }),
        ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
        ...(options.socketOptions === undefined ? {} : { socket: options.socketOptions }),
      },
      backoff: options.reconnectBackoff ?? exponentialBackoff({ initialMs: 100, maxMs: 5_000 }),
      logger: options.logger ?? consoleLogger(),
      setup: (connection, lost) => this.#setup(connection, lost),
    });
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
  assertExchange(name: string, type: 'topic' | 'direct' | 'fanout' | 'headers' = 'topic'): Promise<void> {
    this.#assertOpen();
    return this.#track(this.#declare(name, type));
  }

  async #declare(name: string, type: string): Promise<void> {
    this.#exchanges.set(name, type);
    const session = await this.#session(Date.now() + this.#publishTimeoutMs);
    try {
      await declareExchange(session, name, type);
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

  /** Waits for publishes in flight, then closes the connection; later publishes fail with `AMQPClosedError`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight]);
    await this.#supervisor.stop();
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
      const pending = publishConfirmed(session.channel, message);
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
    const session: PublisherSession = { connection, channel, declared: new Set() };
    for (const [name, type] of this.#exchanges) {
      try {
        await declareExchange(session, name, type);
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

async function declareExchange(session: PublisherSession, name: string, type: string): Promise<void> {
  if (session.declared.has(name)) return;
  await session.channel.assertExchange(name, type, { durable: true });
  session.declared.add(name);
}

function isConnectionLoss(error: unknown): boolean {
  return isAMQPError(error) && error.code === 'AMQP_CONNECTION';
}
