import {
  SubscriptionError,
  consoleLogger,
  defaultDeadLetterTopic,
  errorMessage,
  retryPolicy,
  type ConsumerOptions,
  type ConsumerState,
  type Logger,
  type MessageConsumer,
  type MessageHandler,
  type Subscription,
  type SubscriptionOptions,
} from '@cqrs/core';
import { ConsumerLifecycle, runDelivery, wrapHandler, type DeliveryHooks, type DeliveryPolicy } from '@cqrs/core/transport';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
import type { AMQPConnectionOptions } from '../connection/connection-options';
import { supervisorOptions } from '../connection/connection-options';
import { ConnectionSupervisor } from '../connection/connection-supervisor';
import { AMQPConfigError, AMQPConnectionError, AMQPUnroutableError } from '../errors';
import type { AMQPOutgoingMessage } from '../publisher/outgoing-message';
import { publishConfirmed } from '../publisher/publish-confirmed';
import { ReturnTracker } from '../publisher/return-tracker';
import type { AMQPConsumedMessage } from './amqp-consumed-message';
import { checkTopology, declareTopology } from './declare-topology';
import { queueTopology, retryQueueFor, type QueueArguments, type QueueTopology } from './queue-topology';
import { readDelivery } from './read-delivery';
import { deadLetterCopy, retryCopy } from './redirect-delivery';
import { settledWithin } from '../connection/settled-within';

/**
 * Options of `AMQPConsumer`: the connection (as for the publisher), what every consumer takes
 * (`retry`, `deadLetterTopic` naming the dead-letter queue, `handleSignals`, `interceptors`,
 * `logger`), and the topology.
 */
export interface AMQPConsumerOptions extends AMQPConnectionOptions, ConsumerOptions {
  /** The topic exchange the publishers use. */
  readonly exchangeName: string;
  /** Unacked messages per subscription at once, which is also how many handlers run at once. @default 16 */
  readonly prefetch?: number;
  /** Direct exchange for dead letters. @default `<exchangeName>.dlx` */
  readonly deadLetterExchange?: string;
  /**
   * The `alternate-exchange` the publishers declare the exchange with (`AMQPMessageBroker`'s
   * `alternateExchange`): RabbitMQ refuses to declare it again with another one, none included.
   */
  readonly alternateExchange?: string;
  /** True: declare exchanges, queues and bindings. False: they must exist, and are only checked. @default true */
  readonly declare?: boolean;
  /** Extra arguments for every consumed queue, e.g. `{ 'x-queue-type': 'quorum' }`. */
  readonly queueArguments?: QueueArguments;
  /** How long `stop()` waits for handlers in flight before closing anyway (RabbitMQ redelivers what was not acked). @default 30_000 */
  readonly drainTimeoutMs?: number;
  /** How long `start()` retries an unreachable broker. @default 30_000 */
  readonly startTimeoutMs?: number;
}

/** The defaults of `AMQPConsumerOptions` that are values. */
export const amqpConsumerDefaults = Object.freeze({ prefetch: 16, declare: true, drainTimeoutMs: 30_000, startTimeoutMs: 30_000, handleSignals: false, connectionName: 'cqrs-consumer' });

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
  /** Confirm channel for retry and dead-letter copies, published `mandatory`. */
  readonly publishChannel: ConfirmChannel;
  /** The publish channel's returned copies. */
  readonly returns: ReturnTracker;
  /** Gives the session up: the supervisor reconnects, and the setup declares (or checks) the topology again. */
  readonly lost: (reason: unknown) => void;
  readonly consumers: { readonly channel: Channel; readonly consumerTag: string }[];
}

/** One delivery with what settling it needs: the `raw` of core's `runDelivery`. */
interface Delivery {
  readonly delivery: ConsumeMessage;
  readonly channel: Channel;
  readonly session: ConsumerSession;
  readonly topology: QueueTopology;
}

/**
 * Consumes RabbitMQ queues with core's `MessageConsumer` contract: `(body, msg)` handlers,
 * ack/nack, bounded retries with backoff through delay queues (the transport's `retryLater`),
 * then a dead-letter queue holding the original bytes with the error in its headers.
 * Reconnects with backoff when the connection or a channel drops; unacked messages come back
 * from RabbitMQ. Up to `prefetch` messages per subscription are handled concurrently, so their
 * order is not kept.
 */
export class AMQPConsumer implements MessageConsumer<AMQPConsumedMessage, AMQPSubscriptionOptions<unknown>> {
  readonly #options: AMQPConsumerOptions;
  readonly #policy: DeliveryPolicy;
  readonly #logger: Logger;
  readonly #prefetch: number;
  readonly #supervisor: ConnectionSupervisor<ConsumerSession>;
  readonly #lifecycle: ConsumerLifecycle;
  readonly #subscriptions: AMQPSubscription[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #hooks: DeliveryHooks<AMQPConsumedMessage, Delivery>;
  #session: ConsumerSession | undefined;

  constructor(options: AMQPConsumerOptions) {
    this.#options = options;
    this.#logger = options.logger ?? consoleLogger();
    this.#policy = { retry: options.retry ?? retryPolicy(), logger: this.#logger };
    this.#prefetch = options.prefetch ?? amqpConsumerDefaults.prefetch;
    if (!Number.isInteger(this.#prefetch) || this.#prefetch < 1) throw new AMQPConfigError(`prefetch must be a positive integer, got ${this.#prefetch}`);
    this.#supervisor = new ConnectionSupervisor<ConsumerSession>(
      supervisorOptions({ ...options, logger: this.#logger }, amqpConsumerDefaults.connectionName, {
        setup: (connection, lost) => this.#setup(connection, lost),
        onLost: () => {
          this.#session = undefined;
        },
      }),
    );
    this.#lifecycle = new ConsumerLifecycle(
      {
        name: 'RabbitMQ consumer',
        logger: this.#logger,
        handleSignals: options.handleSignals ?? amqpConsumerDefaults.handleSignals,
        ...(options.signalTarget === undefined ? {} : { signalTarget: options.signalTarget }),
      },
      { open: () => this.#open(), close: () => this.#close() },
    );
    this.#hooks = {
      settle: (_received, raw, result) => {
        if (result === 'acked' || result === 'skipped') settle(() => raw.channel.ack(raw.delivery));
      },
      retryLater: (received, raw, delayMs) => this.#redirect(raw, retryCopy(raw.delivery, received, delayMs, retryQueueFor(raw.topology, received.attempt)), true),
      deadLetterDestination: (received) => deadLetterQueueOf(this.#subscriptions, received.queue),
      deadLetter: (received, raw, error) => this.#redirect(raw, deadLetterCopy(raw.delivery, received, error, raw.topology.deadLetterExchange), false),
    };
  }

  /** Where the consumer stands. */
  get state(): ConsumerState {
    return this.#lifecycle.state;
  }

  /** Handlers running now (at most `prefetch` per subscription). */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** True while connected and consuming. */
  get connected(): boolean {
    return this.#supervisor.connected;
  }

  /** Adds a handler for a queue bound to `options.topics`; only before `start()`. */
  subscribe<E>(options: AMQPSubscriptionOptions<E>, handler: MessageHandler<E, AMQPConsumedMessage>): this {
    this.#lifecycle.assertCanSubscribe();
    if (this.#subscriptions.some((s) => s.topology.queue.name === options.queue)) {
      throw new SubscriptionError(`Queue '${options.queue}' already has a subscription on this consumer`);
    }
    const topology = queueTopology({
      exchange: this.#options.exchangeName,
      deadLetterExchange: this.#options.deadLetterExchange ?? `${this.#options.exchangeName}.dlx`,
      ...(this.#options.alternateExchange === undefined ? {} : { alternateExchange: this.#options.alternateExchange }),
      queue: options.queue,
      deadLetterQueue: (this.#options.deadLetterTopic ?? defaultDeadLetterTopic)(options.queue),
      bindingKeys: options.topics,
      maxAttempts: this.#policy.retry.maxAttempts,
      ...(this.#options.queueArguments === undefined ? {} : { queueArguments: this.#options.queueArguments }),
    });
    const subscription = { ...options, handler: wrapHandler(handler, this.#options) } as unknown as Subscription<unknown, AMQPConsumedMessage>;
    this.#subscriptions.push({ subscription, topology });
    return this;
  }

  /** Connects, declares (or checks) the topology and starts consuming; rejects on refused credentials or topology, `ConsumerStateError` when called twice. */
  start(): Promise<void> {
    return this.#lifecycle.start();
  }

  /** Starts, then resolves once stopped (by `stop()` or a signal). */
  run(): Promise<void> {
    return this.#lifecycle.run();
  }

  /** Resolves once every handler in flight has finished. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * Stops taking messages (cancels the consumers), waits up to `drainTimeoutMs` for handlers in
   * flight to finish and be acked, then closes the connection. Unacked messages go back to the queue.
   */
  stop(): Promise<void> {
    return this.#lifecycle.stop();
  }

  async #open(): Promise<void> {
    try {
      await this.#supervisor.start(this.#options.startTimeoutMs ?? amqpConsumerDefaults.startTimeoutMs);
    } catch (error) {
      await this.#supervisor.stop();
      throw error;
    }
  }

  async #close(): Promise<void> {
    for (const consumer of this.#session?.consumers ?? []) {
      try {
        await consumer.channel.cancel(consumer.consumerTag);
      } catch {
        // The channel is already gone: RabbitMQ stopped delivering to it anyway.
      }
    }
    const drained = await settledWithin([this.idle()], this.#options.drainTimeoutMs ?? amqpConsumerDefaults.drainTimeoutMs);
    if (!drained && this.#inFlight.size > 0) this.#logger.warn(`closing with ${this.#inFlight.size} message(s) in flight; RabbitMQ will redeliver them`);
    await this.#supervisor.stop();
  }

  async #setup(connection: ChannelModel, lost: (reason: unknown) => void): Promise<ConsumerSession> {
    const onClose = (what: string) => () => {
      if (this.#lifecycle.active) lost(new AMQPConnectionError(`The consumer's ${what} channel closed`));
    };
    // Declarations get their own channel: a refused one closes it, and its error names the culprit.
    const topologyChannel = await connection.createChannel();
    topologyChannel.on('error', () => undefined);
    for (const { topology } of this.#subscriptions) {
      if (this.#options.declare ?? amqpConsumerDefaults.declare) await declareTopology(topologyChannel, topology);
      else await checkTopology(topologyChannel, topology);
    }
    await topologyChannel.close();

    const publishChannel = await connection.createConfirmChannel();
    publishChannel.on('error', () => undefined);
    publishChannel.on('close', onClose('publish'));
    const returns = new ReturnTracker();
    publishChannel.on('return', (message: Message) => returns.onReturn(message));
    const session: ConsumerSession = { connection, publishChannel, returns, lost, consumers: [] };
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
          this.#track(this.#handle(subscription, { delivery, channel, session, topology }));
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

  async #handle(subscription: Subscription<unknown, AMQPConsumedMessage>, raw: Delivery): Promise<void> {
    const received = readDelivery(raw.delivery, raw.topology.queue.name);
    try {
      await runDelivery(received, raw, subscription, this.#policy, this.#hooks);
    } catch (error) {
      // Only a throwing retry policy or backoff gets here: leave the message to RabbitMQ (requeued).
      this.#logger.error(`could not process a message from '${received.queue}'; returning it to the queue`, { error: errorMessage(error) });
      settle(() => raw.channel.nack(raw.delivery, false, true));
    }
  }

  /** Publishes a retry or dead-letter copy, then acks the original; when the copy fails, leaves the original to RabbitMQ. */
  async #redirect(raw: Delivery, copy: AMQPOutgoingMessage, retry: boolean): Promise<void> {
    try {
      await publishConfirmed(raw.session.publishChannel, copy, raw.session.returns).confirmed;
    } catch (error) {
      if (error instanceof AMQPUnroutableError) {
        // The retry or dead-letter queue is gone (deleted, or never declared with `declare: false`):
        // RabbitMQ would drop the copy, and its own dead-lettering would too. The original stays
        // unacked and the session is given up, so RabbitMQ redelivers it once the setup has
        // declared the topology again (or, with `declare: false`, found it), with backoff meanwhile.
        this.#logger.error(`the ${retry ? 'retry' : 'dead-letter'} copy of a message from '${raw.topology.queue.name}' has nowhere to go; reconnecting to declare the topology again`, {
          error: errorMessage(error),
        });
        raw.session.lost(error);
        return;
      }
      this.#logger.error(`could not move a failed message from '${raw.topology.queue.name}' to '${copy.routingKey}'; leaving it to RabbitMQ`, { error: errorMessage(error) });
      // Retry: put it back as it is. Dead letter: the queue's own dead-letter arguments route it to the DLQ.
      settle(() => raw.channel.nack(raw.delivery, false, retry));
      return;
    }
    // Acked only after the copy is confirmed: a crash in between redelivers, never loses.
    settle(() => raw.channel.ack(raw.delivery));
  }
}

/** The dead-letter queue of a consumed queue, for log lines. */
function deadLetterQueueOf(subscriptions: readonly AMQPSubscription[], queue: string): string {
  return subscriptions.find((s) => s.topology.queue.name === queue)?.topology.deadLetterQueue.name ?? queue;
}

/** Acks or nacks; on a closed channel that is moot, because RabbitMQ has requeued the message. */
function settle(decide: () => void): void {
  try {
    decide();
  } catch {
    // IllegalOperationError: channel closed.
  }
}
