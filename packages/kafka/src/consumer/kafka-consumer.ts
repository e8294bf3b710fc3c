import {
  SubscriptionError,
  consoleLogger,
  defaultDeadLetterTopic,
  retryPolicy,
  type ConsumerState,
  type DeadLetterNaming,
  type Logger,
  type MessageConsumer,
  type MessageHandler,
  type RetryPolicy,
  type Subscription,
  type SubscriptionOptions,
} from '@cqrs/core';
import { ConsumerLifecycle, deadLetterHeaders, wrapHandler } from '@cqrs/core/transport';
import { Kafka, type Consumer, type ConsumerConfig, type KafkaConfig } from 'kafkajs';
import { classifyKafkaError } from '../connection/classify-error';
import { kafkaRetry, secretsOf, toKafkaConfig } from '../connection/kafka-config';
import { scrubText } from '../connection/scrub';
import { KafkaConfigError, KafkaConnectionError, KafkaConsumerCrashedError } from '../errors';
import { KafkaProducerAdapter } from '../producer/kafka-producer-adapter';
import { createMissingTopics, type CreateKafkaAdmin } from './create-topics';
import type { KafkaConsumedMessage } from './kafka-consumed-message';
import { kafkaConsumerDefaults, type KafkaConsumerOptions } from './kafka-consumer-options';
import { processBatch, type BatchContext, type DeadLetter } from './process-batch';
import { SocketGate } from './socket-gate';
import { subscribeWhenTopicsExist } from './wait-for-topics';

/** The part of a kafkajs consumer `KafkaConsumer` uses. */
export type ConsumerLike = Pick<Consumer, 'connect' | 'disconnect' | 'subscribe' | 'run' | 'on' | 'events'>;

/** Builds the kafkajs consumer; replaceable for tests and instrumentation. */
export type CreateKafkaConsumer = (config: KafkaConfig, consumerConfig: ConsumerConfig) => ConsumerLike;

const defaultCreate: CreateKafkaConsumer = (config, consumerConfig) => new Kafka(config).consumer(consumerConfig);
const defaultCreateAdmin: CreateKafkaAdmin = (config) => new Kafka(config).admin();

/**
 * A Kafka consumer group member with core's `MessageConsumer` contract: `(body, msg)`
 * handlers, `ack()`/`nack()`, retries with backoff in place, then a dead-letter topic holding
 * the original bytes. Commits are manual and ordered: an offset is committed only once every
 * earlier record of its partition is done, so a crash never skips a record (at-least-once).
 * Partitions run concurrently up to `partitionsConsumedConcurrently`, each in order.
 *
 * ```ts
 * const consumer = new KafkaConsumer({ bootstrapServers: 'localhost:9092', groupId: 'users' });
 * consumer.subscribe({ topics: ['user_events'], valueDeserializer }, dispatchTo(events));
 * await consumer.run();
 * ```
 */
export class KafkaConsumer implements MessageConsumer<KafkaConsumedMessage> {
  readonly #options: KafkaConsumerOptions;
  readonly #consumer: ConsumerLike;
  readonly #retry: RetryPolicy;
  readonly #logger: Logger;
  readonly #deadLetterTopic: DeadLetterNaming;
  readonly #brokers: readonly string[];
  readonly #secrets: readonly string[];
  readonly #subscriptions = new Map<string, Subscription<unknown, KafkaConsumedMessage>>();
  readonly #contexts = new Map<string, BatchContext>();
  readonly #abort = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #lifecycle: ConsumerLifecycle;
  readonly #gate = new SocketGate();
  readonly #config: KafkaConfig;
  readonly #createAdmin: CreateKafkaAdmin;
  #deadLetterProducer: KafkaProducerAdapter | undefined;
  #crashed = false;
  #stopping = false;

  constructor(options: KafkaConsumerOptions, create: CreateKafkaConsumer = defaultCreate, createAdmin: CreateKafkaAdmin = defaultCreateAdmin) {
    if (!options.groupId) throw new KafkaConfigError('groupId is required');
    const concurrency = options.partitionsConsumedConcurrently ?? kafkaConsumerDefaults.partitionsConsumedConcurrently;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new KafkaConfigError(`partitionsConsumedConcurrently must be a positive integer, got ${concurrency}`);
    const startTimeoutMs = options.startTimeoutMs ?? kafkaConsumerDefaults.startTimeoutMs;
    if (!Number.isFinite(startTimeoutMs) || startTimeoutMs < 0) throw new KafkaConfigError(`startTimeoutMs must be a number >= 0, got ${startTimeoutMs}`);
    const kafkaConfig = toKafkaConfig(options);
    // Every broker connection of this consumer passes the gate that stop() closes.
    const config: KafkaConfig = { ...kafkaConfig, socketFactory: this.#gate.factory(kafkaConfig.socketFactory) };
    this.#config = config;
    this.#createAdmin = createAdmin;
    this.#options = options;
    this.#brokers = config.brokers as string[];
    this.#secrets = secretsOf(options);
    this.#retry = options.retry ?? retryPolicy();
    this.#logger = options.logger ?? consoleLogger(options.logLevel ?? kafkaConsumerDefaults.logLevel);
    this.#deadLetterTopic = options.deadLetterTopic ?? defaultDeadLetterTopic;
    this.#deadLetterProducer = options.deadLetterProducer;
    this.#lifecycle = new ConsumerLifecycle(
      {
        name: `Kafka consumer of group ${options.groupId}`,
        logger: this.#logger,
        handleSignals: options.handleSignals ?? kafkaConsumerDefaults.handleSignals,
        ...(options.signalTarget === undefined ? {} : { signalTarget: options.signalTarget }),
      },
      { open: () => this.#open(), close: () => this.#close() },
    );
    this.#consumer = create(config, {
      groupId: options.groupId,
      // Never through the broker's auto.create.topics.enable: a missing topic is waited for
      // (startTimeoutMs) or created as createTopics says.
      allowAutoTopicCreation: false,
      // Once stop() has begun, a crash never schedules a restart (kafkajs asks after disconnecting).
      retry: { ...kafkaRetry(options.connectionRetry), restartOnFailure: async () => !this.#stopping },
      ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeout: options.sessionTimeoutMs }),
      ...(options.heartbeatIntervalMs === undefined ? {} : { heartbeatInterval: options.heartbeatIntervalMs }),
      ...(options.rebalanceTimeoutMs === undefined ? {} : { rebalanceTimeout: options.rebalanceTimeoutMs }),
      ...(options.maxBytesPerPartition === undefined ? {} : { maxBytesPerPartition: options.maxBytesPerPartition }),
      ...(options.maxWaitTimeMs === undefined ? {} : { maxWaitTimeInMs: options.maxWaitTimeMs }),
    });
    this.#consumer.on(this.#consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      // A restart under way when stop() ran gave up for want of connections: nothing to report.
      if (this.#stopping) {
        this.#logger.debug(`Kafka consumer ${options.groupId} stopped; a pending restart was cancelled: ${scrubText(error.message, this.#secrets)}`);
        return;
      }
      this.#logger.error(`Kafka consumer ${options.groupId} crashed${restart ? ', restarting' : ', not restarting'}: ${scrubText(error.message, this.#secrets)}`);
      // kafkajs has disconnected for good: say so instead of looking alive.
      if (!restart) this.#crash(error);
    });
  }

  /** Where the consumer stands. */
  get state(): ConsumerState {
    return this.#lifecycle.state;
  }

  /** Adds a handler for `options.topics`; only before `start()`. Each topic takes one subscription. */
  subscribe<E>(options: SubscriptionOptions<E, KafkaConsumedMessage>, handler: MessageHandler<E, KafkaConsumedMessage>): this {
    this.#lifecycle.assertCanSubscribe();
    if (options.topics.length === 0) throw new SubscriptionError('a subscription needs at least one topic');
    for (const topic of options.topics) {
      if (this.#subscriptions.has(topic)) throw new SubscriptionError(`topic ${topic} is already subscribed by this consumer`);
    }
    const subscription = { ...options, handler: wrapHandler(handler, this.#options) } as Subscription<unknown, KafkaConsumedMessage>;
    for (const topic of options.topics) this.#subscriptions.set(topic, subscription);
    return this;
  }

  /**
   * Connects, joins the group and starts handling records; resolves once the group is joined.
   * Throws `KafkaConnectionError` or `KafkaAuthenticationError` when the brokers can't be used
   * (the consumer is then stopped), `ConsumerStateError` when called twice.
   */
  start(): Promise<void> {
    return this.#lifecycle.start();
  }

  /**
   * Starts, then resolves when the consumer has stopped (by `stop()` or a signal) [app.run()];
   * rejects with `KafkaConsumerCrashedError` if kafkajs gave up on the consumer.
   */
  run(): Promise<void> {
    return this.#lifecycle.run();
  }

  /**
   * Stops gracefully: takes no new records, lets the records in flight finish (a pending retry
   * backoff is cut short; that record is redelivered later), commits, leaves the group and
   * disconnects. Safe to call more than once.
   */
  stop(): Promise<void> {
    return this.#lifecycle.stop();
  }

  /** Resolves once the batches being handled now are done (kafkajs fetches the next ones as it goes). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #open(): Promise<void> {
    if (this.#subscriptions.size === 0) throw new SubscriptionError('start() needs a subscription: call subscribe() first');
    const context = { action: `Starting Kafka consumer group ${this.#options.groupId}`, brokers: this.#brokers, secrets: this.#secrets };
    const asStartError = (message: string, cause: Error): KafkaConnectionError => new KafkaConnectionError(message, { cause });
    try {
      await this.#consumer.connect();
      const topics = [...this.#subscriptions.keys()];
      const createTopics = this.#options.createTopics ?? kafkaConsumerDefaults.createTopics;
      if (createTopics !== false) await createMissingTopics(this.#createAdmin(this.#config), topics, createTopics === true ? {} : createTopics);
      const fromBeginning = this.#options.fromBeginning ?? kafkaConsumerDefaults.fromBeginning;
      await subscribeWhenTopicsExist({
        subscribe: () => this.#consumer.subscribe({ topics, fromBeginning }),
        topics,
        timeoutMs: this.#options.startTimeoutMs ?? kafkaConsumerDefaults.startTimeoutMs,
        signal: this.#abort.signal,
      });
      // stop() while waiting for the topics: #close has run, don't join the group now.
      if (this.#abort.signal.aborted) return;
      await this.#consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.#options.partitionsConsumedConcurrently ?? kafkaConsumerDefaults.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.#track(processBatch(payload, this.#batchContext(payload.batch.topic))),
      });
    } catch (error) {
      await this.#consumer.disconnect().catch(() => undefined);
      if (error instanceof SubscriptionError) throw error;
      throw classifyKafkaError(error, context, asStartError);
    }
  }

  async #close(): Promise<void> {
    this.#stopping = true;
    this.#abort.abort();
    // kafkajs' disconnect stops fetching, waits for the batches in flight, leaves the group and
    // cancels a restart it has scheduled; after a crash kafkajs has disconnected already.
    try {
      if (!this.#crashed) await this.#consumer.disconnect();
    } finally {
      // A restart kafkajs had begun already is out of disconnect()'s reach: without
      // connections it cannot rejoin, and it schedules no other (restartOnFailure).
      this.#gate.close();
    }
    if (this.#options.deadLetterProducer === undefined) await this.#deadLetterProducer?.close();
  }

  #crash(error: Error): void {
    this.#crashed = true;
    this.#lifecycle.fail(
      classifyKafkaError(
        error,
        { action: `Kafka consumer group ${this.#options.groupId} stopped after an error`, brokers: this.#brokers, secrets: this.#secrets },
        (message, cause) => new KafkaConsumerCrashedError(message, { cause }),
      ),
    );
  }

  #track(batch: Promise<void>): Promise<void> {
    this.#inFlight.add(batch);
    void batch.catch(() => undefined).finally(() => this.#inFlight.delete(batch));
    return batch;
  }

  #batchContext(topic: string): BatchContext {
    let context = this.#contexts.get(topic);
    if (context !== undefined) return context;
    const subscription = this.#subscriptions.get(topic);
    if (subscription === undefined) throw new SubscriptionError(`received a batch of unsubscribed topic ${topic}`);
    context = {
      subscription,
      retry: this.#retry,
      deadLetter: (letter) => this.#deadLetter(letter),
      deadLetterDestination: this.#deadLetterTopic,
      commitIntervalMs: this.#options.commitIntervalMs ?? kafkaConsumerDefaults.commitIntervalMs,
      signal: this.#abort.signal,
      logger: this.#logger,
    };
    this.#contexts.set(topic, context);
    return context;
  }

  async #deadLetter(letter: DeadLetter): Promise<void> {
    const target = this.#deadLetterTopic(letter.topic);
    const { message } = letter;
    // The consumer's connection options (connectionRetry included) fit the producer as they are.
    this.#deadLetterProducer ??= new KafkaProducerAdapter({ ...this.#options, clientId: `${this.#options.clientId ?? 'cqrs'}-dead-letters` });
    // Original key, bytes and headers (byte values untouched), plus the reason.
    const reason = deadLetterHeaders({}, letter.error, letter.attempts, { topic: letter.topic, partition: letter.partition, offset: message.offset });
    await this.#deadLetterProducer.send([{ topic: target, key: message.key, value: message.value, headers: { ...message.headers, ...reason } }]);
  }
}
