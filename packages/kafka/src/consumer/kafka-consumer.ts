import {
  consoleLogger,
  deadLetterHeaders,
  retryPolicy,
  type Logger,
  type MessageHandler,
  type RetryPolicy,
  type Subscription,
  type SubscriptionOptions,
} from '@cqrs/core';
import { Kafka, type Consumer, type ConsumerConfig, type KafkaConfig } from 'kafkajs';
import { classifyKafkaError } from '../connection/classify-error';
import { kafkaRetry, secretsOf, toKafkaConfig } from '../connection/kafka-config';
import { scrubText } from '../connection/scrub';
import { KafkaClosedError, KafkaConfigError, KafkaConnectionError, KafkaConsumerCrashedError, KafkaSubscriptionError } from '../errors';
import { KafkaProducerAdapter } from '../producer/kafka-producer-adapter';
import type { KafkaConsumedMessage } from './kafka-consumed-message';
import type { KafkaConsumerOptions } from './kafka-consumer-options';
import { processBatch, type DeadLetter } from './process-batch';

/** The part of a kafkajs consumer `KafkaConsumer` uses. */
export type ConsumerLike = Pick<Consumer, 'connect' | 'disconnect' | 'subscribe' | 'run' | 'on' | 'events'>;

/** Builds the kafkajs consumer; replaceable for tests and instrumentation. */
export type CreateKafkaConsumer = (config: KafkaConfig, consumerConfig: ConsumerConfig) => ConsumerLike;

const defaultCreate: CreateKafkaConsumer = (config, consumerConfig) => new Kafka(config).consumer(consumerConfig);
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * A Kafka consumer group member with the contract of `InMemoryConsumer`: `(body, msg)`
 * handlers, `ack()`/`nack()`, retries with backoff, then a dead-letter topic holding the
 * original bytes. Commits are manual and ordered: an offset is committed only once every
 * earlier record of its partition is done, so a crash never skips a record (at-least-once).
 * Partitions run concurrently up to `partitionsConsumedConcurrently`, each in order.
 *
 * ```ts
 * const consumer = new KafkaConsumer({ bootstrapServers: 'localhost:9092', groupId: 'users' });
 * consumer.subscribe({ topics: ['user_events'], valueDeserializer }, async (body, msg) => {
 *   if (isDeserializeError(body)) return msg.nack(body);
 *   if (body !== null) await mediator.send(body);
 * });
 * await consumer.start();
 * ```
 */
export class KafkaConsumer {
  readonly #options: KafkaConsumerOptions;
  readonly #consumer: ConsumerLike;
  readonly #retry: RetryPolicy;
  readonly #logger: Logger;
  readonly #brokers: readonly string[];
  readonly #secrets: readonly string[];
  readonly #subscriptions = new Map<string, Subscription<unknown, KafkaConsumedMessage>>();
  readonly #abort = new AbortController();
  readonly #signalHandler = (): void => {
    this.#logger.info('signal received: stopping the Kafka consumer');
    void this.stop().catch((error: unknown) => this.#logger.error(`stopping the Kafka consumer failed: ${String(error)}`));
  };
  #deadLetterProducer: KafkaProducerAdapter | undefined;
  #state: State = 'idle';
  #stopping: Promise<void> | undefined;
  #crash: Error | undefined;
  #resolveStopped!: () => void;
  readonly #stopped = new Promise<void>((resolve) => (this.#resolveStopped = resolve));

  constructor(options: KafkaConsumerOptions, create: CreateKafkaConsumer = defaultCreate) {
    if (!options.groupId) throw new KafkaConfigError('groupId is required');
    const concurrency = options.partitionsConsumedConcurrently ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new KafkaConfigError(`partitionsConsumedConcurrently must be a positive integer, got ${concurrency}`);
    const config = toKafkaConfig(options, options.clientRetry);
    this.#options = options;
    this.#brokers = config.brokers as string[];
    this.#secrets = secretsOf(options);
    this.#retry = options.retry ?? retryPolicy();
    this.#logger = options.logger ?? consoleLogger(options.logLevel ?? 'warn');
    this.#deadLetterProducer = options.deadLetterProducer;
    this.#consumer = create(config, {
      groupId: options.groupId,
      retry: kafkaRetry(options.clientRetry),
      ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeout: options.sessionTimeoutMs }),
      ...(options.heartbeatIntervalMs === undefined ? {} : { heartbeatInterval: options.heartbeatIntervalMs }),
      ...(options.rebalanceTimeoutMs === undefined ? {} : { rebalanceTimeout: options.rebalanceTimeoutMs }),
      ...(options.maxBytesPerPartition === undefined ? {} : { maxBytesPerPartition: options.maxBytesPerPartition }),
      ...(options.maxWaitTimeMs === undefined ? {} : { maxWaitTimeInMs: options.maxWaitTimeMs }),
    });
    this.#consumer.on(this.#consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload;
      this.#logger.error(`Kafka consumer ${options.groupId} crashed${restart ? ', restarting' : ', not restarting'}: ${scrubText(error.message, this.#secrets)}`);
      // kafkajs has disconnected for good: say so instead of looking alive.
      if (!restart) this.#crashed(error);
    });
  }

  /** Adds a handler for `options.topics`; call before `start()`. Each topic takes one subscription. */
  subscribe<E>(options: SubscriptionOptions<E, KafkaConsumedMessage>, handler: MessageHandler<E, KafkaConsumedMessage>): this {
    if (this.#state !== 'idle') throw new KafkaSubscriptionError('subscribe() must be called before start()');
    if (options.topics.length === 0) throw new KafkaSubscriptionError('a subscription needs at least one topic');
    const subscription = { ...options, handler } as Subscription<unknown, KafkaConsumedMessage>;
    for (const topic of options.topics) {
      if (this.#subscriptions.has(topic)) throw new KafkaSubscriptionError(`topic ${topic} is already subscribed by this consumer`);
    }
    for (const topic of options.topics) this.#subscriptions.set(topic, subscription);
    return this;
  }

  /**
   * Connects, joins the group and starts handling records; resolves once the group is joined.
   * Throws `KafkaConnectionError` or `KafkaAuthenticationError` when the brokers can't be used.
   */
  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new KafkaClosedError(`start() was already called (consumer is ${this.#state})`);
    if (this.#subscriptions.size === 0) throw new KafkaSubscriptionError('subscribe to at least one topic before start()');
    this.#state = 'starting';
    const context = { action: `Starting Kafka consumer group ${this.#options.groupId}`, brokers: this.#brokers, secrets: this.#secrets };
    const asStartError = (message: string, cause: Error): KafkaConnectionError => new KafkaConnectionError(message, { cause });
    try {
      await this.#consumer.connect();
      await this.#consumer.subscribe({ topics: [...this.#subscriptions.keys()], fromBeginning: this.#options.fromBeginning ?? true });
      await this.#consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.#options.partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => processBatch(payload, this.#batchContext(payload.batch.topic)),
      });
    } catch (error) {
      this.#state = 'stopped';
      this.#resolveStopped();
      await this.#consumer.disconnect().catch(() => undefined);
      throw classifyKafkaError(error, context, asStartError);
    }
    this.#state = 'running';
    if (this.#options.handleSignals === true) for (const signal of SIGNALS) process.once(signal, this.#signalHandler);
  }

  /**
   * Starts, then resolves when the consumer has stopped (by `stop()` or a signal) [app.run()];
   * rejects if kafkajs gave up on the consumer after an error it could not recover from.
   */
  async run(): Promise<void> {
    await this.start();
    await this.#stopped;
    if (this.#crash !== undefined) throw this.#crash;
  }

  /**
   * Stops gracefully: takes no new records, lets the records in flight finish (a pending retry
   * backoff is cut short; that record is redelivered later), commits, leaves the group and
   * disconnects. Safe to call more than once.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(disconnect = true): Promise<void> {
    for (const signal of SIGNALS) process.removeListener(signal, this.#signalHandler);
    const wasStarted = disconnect && (this.#state === 'running' || this.#state === 'starting');
    this.#state = 'stopping';
    this.#abort.abort();
    try {
      // kafkajs' disconnect stops fetching, waits for the batches in flight and leaves the group.
      if (wasStarted) await this.#consumer.disconnect();
      if (this.#options.deadLetterProducer === undefined) await this.#deadLetterProducer?.close();
    } finally {
      this.#state = 'stopped';
      this.#resolveStopped();
    }
  }

  #crashed(error: Error): void {
    this.#crash = classifyKafkaError(
      error,
      { action: `Kafka consumer group ${this.#options.groupId} stopped after an error`, brokers: this.#brokers, secrets: this.#secrets },
      (message, cause) => new KafkaConsumerCrashedError(message, { cause }),
    );
    if (this.#stopping !== undefined) return;
    this.#stopping = this.#stop(false);
    this.#stopping.catch((stopError: unknown) => this.#logger.error(`cleaning up the crashed Kafka consumer failed: ${String(stopError)}`));
  }

  #batchContext(topic: string): Parameters<typeof processBatch>[1] {
    const subscription = this.#subscriptions.get(topic);
    if (subscription === undefined) throw new KafkaSubscriptionError(`received a batch of unsubscribed topic ${topic}`);
    return {
      subscription,
      retry: this.#retry,
      deadLetter: (letter) => this.#deadLetter(letter),
      commitIntervalMs: this.#options.commitIntervalMs ?? 1000,
      signal: this.#abort.signal,
      logger: this.#logger,
    };
  }

  async #deadLetter(letter: DeadLetter): Promise<void> {
    const target = (this.#options.deadLetterTopic ?? ((topic: string) => `${topic}.dlq`))(letter.topic);
    const { message } = letter;
    this.#logger.warn(`dead-lettering ${letter.topic}[${letter.partition}]@${message.offset} to ${target} after ${letter.attempts} attempt(s)`);
    this.#deadLetterProducer ??= new KafkaProducerAdapter({ ...this.#options, retry: this.#options.clientRetry, clientId: `${this.#options.clientId ?? 'cqrs'}-dead-letters` });
    // Original key, bytes and headers (byte values untouched), plus the reason.
    const reason = deadLetterHeaders({}, letter.error, letter.attempts, { topic: letter.topic, partition: letter.partition, offset: message.offset });
    await this.#deadLetterProducer.send([{ topic: target, key: message.key, value: message.value, headers: { ...message.headers, ...reason } }]);
  }
}
