import type { InMemoryMessageBroker, InMemoryRecord } from '../brokers/in-memory-message-broker';
import { SubscriptionError } from '../errors/errors';
import { consoleLogger, type Logger } from '../logging/logger';
import type { ConsumedMessage } from './consumed-message';
import { ConsumerLifecycle, type ConsumerState } from './consumer-lifecycle';
import { consumerDefaults, type ConsumerOptions } from './consumer-options';
import { describeError, deadLetterHeaders } from './dead-letter';
import { defaultDeadLetterTopic, type DeadLetterNaming } from './dead-letter-topic';
import { wrapHandler } from './handler-interceptor';
import { interruptibleSleep } from './interruptible-sleep';
import type { MessageConsumer } from './message-consumer';
import type { MessageHandler } from './message-handler';
import type { ReceivedMessage } from './process-delivery';
import { retryPolicy } from './retry-policy';
import { runDelivery, type DeliveryHooks, type DeliveryPolicy } from './run-delivery';
import type { Subscription, SubscriptionOptions } from './subscription';

/** A message from an in-memory topic. */
export interface InMemoryConsumedMessage extends ConsumedMessage {
  readonly offset: number;
}

/** Options of `InMemoryConsumer`: the broker, the group, and what every consumer takes. */
export interface InMemoryConsumerOptions extends ConsumerOptions {
  readonly broker: InMemoryMessageBroker;
  /** Consumers of one group share its committed positions: a new consumer resumes where the last one stopped. @default 'default' */
  readonly groupId?: string;
  /** With no committed position yet, read the records already in the topic [auto_offset_reset="earliest"]. @default true */
  readonly fromBeginning?: boolean;
}

/** The defaults of `InMemoryConsumerOptions`. */
export const inMemoryConsumerDefaults = Object.freeze({ ...consumerDefaults, groupId: 'default', fromBeginning: true });

type AnySubscription = Subscription<unknown, InMemoryConsumedMessage>;

/** Where the consumer stands in one topic: the next offset to deliver. */
interface Cursor {
  readonly subscription: AnySubscription;
  readonly topic: string;
  position: number;
  /** True while a drain loop runs for this cursor. */
  active: boolean;
  /** Settles when the current drain loop ends; never rejects. */
  drained: Promise<void>;
}

/**
 * Consumes an `InMemoryMessageBroker` with core's `MessageConsumer` contract, like the Kafka
 * and RabbitMQ consumers: `(body, msg)` handlers, ack/nack, retries with backoff in place, then
 * a dead-letter topic holding the original bytes and headers plus the error. Records of one
 * topic are handled one at a time, in order. Positions are committed per group, so after
 * `stop()` a new consumer of the same group resumes where this one stopped.
 */
export class InMemoryConsumer implements MessageConsumer<InMemoryConsumedMessage> {
  readonly #options: InMemoryConsumerOptions;
  readonly #group: string;
  readonly #policy: DeliveryPolicy;
  readonly #logger: Logger;
  readonly #deadLetterTopic: DeadLetterNaming;
  readonly #lifecycle: ConsumerLifecycle;
  readonly #subscriptions = new Map<string, AnySubscription>();
  readonly #cursors: Cursor[] = [];
  readonly #unsubscribe: (() => void)[] = [];
  readonly #abort = new AbortController();
  readonly #hooks: DeliveryHooks<InMemoryConsumedMessage, InMemoryRecord>;

  constructor(options: InMemoryConsumerOptions) {
    this.#options = options;
    this.#group = options.groupId ?? inMemoryConsumerDefaults.groupId;
    this.#logger = options.logger ?? consoleLogger();
    this.#policy = { retry: options.retry ?? retryPolicy(), logger: this.#logger };
    this.#deadLetterTopic = options.deadLetterTopic ?? defaultDeadLetterTopic;
    this.#lifecycle = new ConsumerLifecycle(
      {
        name: 'in-memory consumer',
        logger: this.#logger,
        handleSignals: options.handleSignals ?? inMemoryConsumerDefaults.handleSignals,
        ...(options.signalTarget === undefined ? {} : { signalTarget: options.signalTarget }),
      },
      { open: async () => this.#open(), close: () => this.#close() },
    );
    this.#hooks = {
      waitInPlace: async (ms) => {
        await interruptibleSleep(ms, this.#abort.signal);
        return this.#lifecycle.active;
      },
      deadLetterDestination: (received) => this.#deadLetterTopic(received.topic),
      deadLetter: async (received, record, error, attempts) => this.#deadLetter(record, error, attempts),
    };
  }

  /** Where the consumer stands. */
  get state(): ConsumerState {
    return this.#lifecycle.state;
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.#lifecycle.running;
  }

  /** Adds a handler for `options.topics`; only before `start()`. Each topic takes one subscription. */
  subscribe<E>(options: SubscriptionOptions<E, InMemoryConsumedMessage>, handler: MessageHandler<E, InMemoryConsumedMessage>): this {
    this.#lifecycle.assertCanSubscribe();
    if (options.topics.length === 0) throw new SubscriptionError('a subscription needs at least one topic');
    for (const topic of options.topics) if (this.#subscriptions.has(topic)) throw new SubscriptionError(`topic ${topic} is already subscribed by this consumer`);
    const subscription = { ...options, handler: wrapHandler(handler, this.#options) } as AnySubscription;
    for (const topic of options.topics) this.#subscriptions.set(topic, subscription);
    return this;
  }

  /** Starts delivering: from the group's committed position, else existing records first when `fromBeginning`, then new ones. */
  start(): Promise<void> {
    return this.#lifecycle.start();
  }

  /** Starts, then resolves once stopped. */
  run(): Promise<void> {
    return this.#lifecycle.run();
  }

  /** Resolves once every record delivered so far has been handled. */
  async idle(): Promise<void> {
    while (this.#cursors.some((cursor) => cursor.active)) await Promise.all(this.#cursors.map((cursor) => cursor.drained));
  }

  /**
   * Stops taking records: the record being handled finishes (a pending retry is abandoned and
   * the record redelivered to the group's next consumer), then this resolves.
   */
  stop(): Promise<void> {
    return this.#lifecycle.stop();
  }

  #open(): void {
    if (this.#subscriptions.size === 0) throw new SubscriptionError('start() needs a subscription: call subscribe() first');
    const fromBeginning = this.#options.fromBeginning ?? inMemoryConsumerDefaults.fromBeginning;
    for (const [topic, subscription] of this.#subscriptions) {
      const position = this.#options.broker.committed(this.#group, topic) ?? (fromBeginning ? 0 : this.#options.broker.records(topic).length);
      const cursor: Cursor = { subscription, topic, position, active: false, drained: Promise.resolve() };
      this.#cursors.push(cursor);
      this.#unsubscribe.push(this.#options.broker.subscribe(topic, () => this.#wake(cursor)));
      this.#wake(cursor);
    }
  }

  async #close(): Promise<void> {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#abort.abort();
    await this.idle();
  }

  #wake(cursor: Cursor): void {
    if (cursor.active || !this.#lifecycle.active) return;
    // Set before the loop starts: the loop may finish synchronously and clear it.
    cursor.active = true;
    cursor.drained = this.#drain(cursor);
  }

  async #drain(cursor: Cursor): Promise<void> {
    try {
      for (;;) {
        // Read the log afresh each time: the topic may have been created meanwhile.
        const record = this.#options.broker.records(cursor.topic)[cursor.position];
        if (record === undefined || !this.#lifecycle.active) return;
        if ((await this.#deliver(cursor.subscription, record)) === 'interrupted') return;
        cursor.position += 1;
        this.#options.broker.commit(this.#group, cursor.topic, cursor.position);
      }
    } finally {
      // Cleared in the same turn the loop saw no more records, so no wake-up is lost.
      cursor.active = false;
    }
  }

  async #deliver(subscription: AnySubscription, record: InMemoryRecord): Promise<'done' | 'interrupted'> {
    const received: ReceivedMessage<InMemoryConsumedMessage> = { topic: record.topic, key: record.key, headers: record.headers, value: record.value, attempt: 1, offset: record.offset };
    try {
      return (await runDelivery(received, record, subscription, this.#policy, this.#hooks)) === 'interrupted' ? 'interrupted' : 'done';
    } catch (error) {
      // Only a throwing policy, backoff or dead-letter hook gets here: log it and move on,
      // so one record never stalls the topic.
      this.#logger.error(`could not process message ${record.topic}@${record.offset}; skipping it`, { error: describeError(error).message });
      return 'done';
    }
  }

  #deadLetter(record: InMemoryRecord, error: unknown, attempts: number): void {
    this.#options.broker.append(this.#deadLetterTopic(record.topic), {
      key: record.key,
      value: record.value,
      headers: deadLetterHeaders(record.headers, error, attempts, { topic: record.topic, offset: String(record.offset) }),
    });
  }
}
