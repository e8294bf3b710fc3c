import {
  consoleLogger,
  exponentialBackoff,
  nextStep,
  processDelivery,
  retryPolicy,
  type Backoff,
  type Logger,
  type MessageHandler,
  type RetryPolicy,
  type Subscription,
  type SubscriptionOptions,
} from '@cqrs/core';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { amqpConnect, type AMQPConnect } from '../connection/amqp-connect';
import { ConnectionSupervisor } from '../connection/connection-supervisor';
import { AMQPConnectionError, AMQPError } from '../errors';
import { publishConfirmed } from '../publisher/publish-confirmed';
import type { AMQPConsumedMessage } from './amqp-consumed-message';
import { checkTopology, declareTopology } from './declare-topology';
import { queueTopology, type QueueArguments, type QueueTopology } from './queue-topology';
import { readDelivery } from './read-delivery';
import { deadLetterCopy, retryCopy } from './redirect-delivery';
import { onShutdownSignals } from './shutdown-signals';

/** Options of `AMQPConsumer`. */
export interface AMQPConsumerOptions {
  /** `amqp://user:password@host:5672/vhost`; the password is never logged. */
  readonly url: string;
  /** The topic exchange the publishers use. */
  readonly exchangeName: string;
  /** Unacked messages per subscription at once, which is also how many handlers run at once; default 16. */
  readonly prefetch?: number;
  /** Attempts and backoff before dead-lettering; default 3 attempts, exponential from 100 ms. */
  readonly retry?: RetryPolicy;
  /** Direct exchange for dead letters; default `<exchangeName>.dlx`. */
  readonly deadLetterExchange?: string;
  /** True (default): declare exchanges, queues and bindings. False: they must exist, and are only checked. */
  readonly declare?: boolean;
  /** Extra arguments for every consumed queue, e.g. `{ 'x-queue-type': 'quorum' }`. */
  readonly queueArguments?: QueueArguments;
  /** Stop gracefully on SIGTERM and SIGINT; default false. */
  readonly handleSignals?: boolean;
  /** How long `stop()` waits for handlers in flight before closing anyway (RabbitMQ redelivers what was not acked); default 30 s. */
  readonly drainTimeoutMs?: number;
  /** How long `start()` retries an unreachable broker; default 30 s. */
  readonly startTimeoutMs?: number;
  /** Shown in the management UI; default `cqrs-consumer`. */
  readonly connectionName?: string;
  readonly heartbeatSeconds?: number;
  /** Timeout of one TCP connect and handshake; default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Delay between reconnect attempts; default exponential from 100 ms up to 5 s. */
  readonly reconnectBackoff?: Backoff;
  readonly socketOptions?: Readonly<Record<string, unknown>>;
  readonly logger?: Logger;
  /** Replaces `amqplib.connect`, for tests. */
  readonly connect?: AMQPConnect;
}

/** What a subscription consumes: its queue, bound to the exchange with `topics` as binding keys. */
export interface AMQPSubscriptionOptions<E> extends SubscriptionOptions<E, AMQPConsumedMessage> {
  /** Durable queue to consume; created with its retry and dead-letter queues when `declare` is on. */
  readonly queue: string;
}

interface AMQPSubscription {
  readonly subscription: Subscription<unknown, AMQPConsumedMessage>;
  readonly topology: QueueTopology;
}

interface ConsumerSession {
  readonly connection: ChannelModel;
  /** Confirm channel for retry and dead-letter copies. */
  readonly publishChannel: ConfirmChannel;
  readonly consumers: { readonly channel: Channel; readonly consumerTag: string }[];
}

/**
 * Consumes RabbitMQ queues with the contract of core's `InMemoryConsumer`: `(body, msg)`
 * handlers, ack/nack, bounded retries with backoff through delay queues, then a dead-letter
 * queue holding the original bytes with the error in its headers. Reconnects with backoff when
 * the connection or a channel drops; unacked messages come back from RabbitMQ. Up to `prefetch`
 * messages per subscription are handled concurrently, so their order is not kept.
 */
export class AMQPConsumer {
  readonly #options: AMQPConsumerOptions;
  readonly #retry: RetryPolicy;
  readonly #logger: Logger;
  readonly #prefetch: number;
  readonly #supervisor: ConnectionSupervisor<ConsumerSession>;
  readonly #subscriptions: AMQPSubscription[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #session: ConsumerSession | undefined;
  #removeSignals: (() => void) | undefined;
  #state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';

  constructor(options: AMQPConsumerOptions) {
    this.#options = options;
    this.#retry = options.retry ?? retryPolicy();
    this.#logger = options.logger ?? consoleLogger();
    this.#prefetch = options.prefetch ?? 16;
    if (!Number.isInteger(this.#prefetch) || this.#prefetch < 1) throw new RangeError(`prefetch must be a positive integer, got ${this.#prefetch}`);
    this.#supervisor = new ConnectionSupervisor<ConsumerSession>({
      url: options.url,
      connect: options.connect ?? amqpConnect,
      socketOptions: {
        connectionName: options.connectionName ?? 'cqrs-consumer',
        ...(options.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: options.heartbeatSeconds }),
        ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
        ...(options.socketOptions === undefined ? {} : { socket: options.socketOptions }),
      },
      backoff: options.reconnectBackoff ?? exponentialBackoff({ initialMs: 100, maxMs: 5_000 }),
      logger: this.#logger,
      setup: (connection, lost) => this.#setup(connection, lost),
      onLost: () => {
        this.#session = undefined;
      },
    });
  }

  /** Handlers running now (at most `prefetch` per subscription). */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** True while connected and consuming. */
  get connected(): boolean {
    return this.#supervisor.connected;
  }

  /** Adds a handler for a queue bound to `options.topics`; call before `start()`. */
  subscribe<E>(options: AMQPSubscriptionOptions<E>, handler: MessageHandler<E, AMQPConsumedMessage>): this {
    if (this.#state !== 'new') throw new AMQPError('AMQP_STATE', 'subscribe() must be called before start()');
    if (this.#subscriptions.some((s) => s.topology.queue.name === options.queue)) {
      throw new AMQPError('AMQP_STATE', `Queue '${options.queue}' already has a subscription on this consumer`);
    }
    const topology = queueTopology({
      exchange: this.#options.exchangeName,
      deadLetterExchange: this.#options.deadLetterExchange ?? `${this.#options.exchangeName}.dlx`,
      queue: options.queue,
      bindingKeys: options.topics,
      maxAttempts: this.#retry.maxAttempts,
      ...(this.#options.queueArguments === undefined ? {} : { queueArguments: this.#options.queueArguments }),
    });
    const subscription = { ...options, handler } as unknown as Subscription<unknown, AMQPConsumedMessage>;
    this.#subscriptions.push({ subscription, topology });
    return this;
  }

  /** Connects, declares (or checks) the topology and starts consuming; rejects on refused credentials or topology. */
  async start(): Promise<void> {
    if (this.#state !== 'new') return;
    this.#state = 'running';
    try {
      await this.#supervisor.start(this.#options.startTimeoutMs ?? 30_000);
    } catch (error) {
      this.#state = 'stopped';
      await this.#supervisor.stop();
      throw error;
    }
    if (this.#options.handleSignals === true) this.#removeSignals = onShutdownSignals(() => this.stop(), this.#logger);
  }

  /** Resolves once every handler in flight has finished. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * Stops taking messages (cancels the consumers), waits up to `drainTimeoutMs` for handlers in
   * flight to finish and be acked, then closes the connection. Unacked messages go back to the queue.
   */
  async stop(): Promise<void> {
    if (this.#state === 'stopping' || this.#state === 'stopped') return;
    this.#state = 'stopping';
    this.#removeSignals?.();
    for (const consumer of this.#session?.consumers ?? []) {
      try {
        await consumer.channel.cancel(consumer.consumerTag);
      } catch {
        // The channel is already gone: RabbitMQ stopped delivering to it anyway.
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (this.#inFlight.size > 0) this.#logger.warn(`closing with ${this.#inFlight.size} message(s) in flight; RabbitMQ will redeliver them`);
        resolve();
      }, this.#options.drainTimeoutMs ?? 30_000);
    });
    await Promise.race([this.idle(), timedOut]);
    clearTimeout(timer);
    await this.#supervisor.stop();
    this.#state = 'stopped';
  }

  async #setup(connection: ChannelModel, lost: (reason: unknown) => void): Promise<ConsumerSession> {
    const onClose = (what: string) => () => {
      if (this.#state === 'running') lost(new AMQPConnectionError(`The consumer's ${what} channel closed`));
    };
    // Declarations get their own channel: a refused one closes it, and its error names the culprit.
    const topologyChannel = await connection.createChannel();
    topologyChannel.on('error', () => undefined);
    for (const { topology } of this.#subscriptions) {
      if (this.#options.declare ?? true) await declareTopology(topologyChannel, topology);
      else await checkTopology(topologyChannel, topology);
    }
    await topologyChannel.close();

    const publishChannel = await connection.createConfirmChannel();
    publishChannel.on('error', () => undefined);
    publishChannel.on('close', onClose('publish'));
    const session: ConsumerSession = { connection, publishChannel, consumers: [] };
    for (const { subscription, topology } of this.#subscriptions) {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      channel.on('close', onClose(`'${topology.queue.name}'`));
      await channel.prefetch(this.#prefetch);
      const { consumerTag } = await channel.consume(
        topology.queue.name,
        (delivery) => {
          if (delivery === null) {
            this.#logger.warn(`RabbitMQ cancelled the consumer of '${topology.queue.name}' (queue deleted?); reconnecting`);
            lost(new AMQPConnectionError(`Consumer of '${topology.queue.name}' was cancelled by the broker`));
            return;
          }
          this.#track(this.#handle(subscription, topology, session, channel, delivery));
        },
        { noAck: false },
      );
      session.consumers.push({ channel, consumerTag });
    }
    this.#session = session;
    return session;
  }

  #track(work: Promise<void>): void {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  async #handle(
    subscription: Subscription<unknown, AMQPConsumedMessage>,
    topology: QueueTopology,
    session: ConsumerSession,
    channel: Channel,
    delivery: ConsumeMessage,
  ): Promise<void> {
    const received = readDelivery(delivery, topology.queue.name);
    const outcome = await processDelivery<unknown, AMQPConsumedMessage>(received, subscription);
    if (outcome.kind !== 'nack') {
      settle(() => channel.ack(delivery));
      return;
    }
    const step = nextStep(this.#retry, received.attempt, outcome.error);
    const copy = step.retry ? retryCopy(delivery, received, step.delayMs) : deadLetterCopy(delivery, received, outcome.error, topology.deadLetterExchange);
    if (!step.retry) {
      this.#logger.warn(`dead-lettering message ${received.messageId ?? delivery.fields.deliveryTag} from '${received.queue}' after ${received.attempt} attempt(s)`);
    }
    try {
      await publishConfirmed(session.publishChannel, copy).confirmed;
    } catch (error) {
      this.#logger.error(`could not move a failed message from '${received.queue}' to '${copy.routingKey}'; leaving it to RabbitMQ`, {
        error: error instanceof Error ? error.message : String(error),
      });
      // Retry: put it back as it is. Dead letter: the queue's own dead-letter arguments route it to the DLQ.
      settle(() => channel.nack(delivery, false, step.retry));
      return;
    }
    // Acked only after the copy is confirmed: a crash in between redelivers, never loses.
    settle(() => channel.ack(delivery));
  }
}

/** Acks or nacks; on a closed channel that is moot, because RabbitMQ has requeued the message. */
function settle(decide: () => void): void {
  try {
    decide();
  } catch {
    // IllegalOperationError: channel closed.
  }
}
