import type { InMemoryMessageBroker, InMemoryRecord } from '../brokers/in-memory-message-broker';
import { consoleLogger, type Logger } from '../logging/logger';
import type { ConsumedMessage } from './consumed-message';
import { deadLetterHeaders, describeError } from './dead-letter';
import type { MessageHandler } from './message-handler';
import { processDelivery } from './process-delivery';
import { nextStep, retryPolicy, type RetryPolicy } from './retry-policy';
import type { Subscription, SubscriptionOptions } from './subscription';

/** A message from an in-memory topic. */
export interface InMemoryConsumedMessage extends ConsumedMessage {
  readonly offset: number;
}

/** Options of `InMemoryConsumer`. */
export interface InMemoryConsumerOptions {
  readonly broker: InMemoryMessageBroker;
  /** Read records already in the topic on the first start; default true. */
  readonly fromBeginning?: boolean;
  readonly retry?: RetryPolicy;
  /** Dead-letter topic of a source topic; default `<topic>.dlq`. */
  readonly deadLetterTopic?: (topic: string) => string;
  readonly logger?: Logger;
}

type AnySubscription = Subscription<unknown, InMemoryConsumedMessage>;

/** Where one subscription stands in one topic: the next offset to deliver. */
interface Cursor {
  readonly subscription: AnySubscription;
  readonly topic: string;
  position: number;
  /** True while a drain loop runs for this cursor. */
  active: boolean;
  /** Settles when the current drain loop ends; never rejects. */
  drained: Promise<void>;
}

/** What happened to the record at a cursor's position. */
type Settled = 'done' | 'stopped';

/**
 * Consumes an `InMemoryMessageBroker` with the same contract as the Kafka and RabbitMQ
 * consumers: `(body, msg)` handlers, ack/nack, retries with backoff, then a dead-letter topic
 * holding the original bytes and headers plus the error. Records of one topic are handled one
 * at a time, in order, per subscription. `stop()` lets the record in hand finish and keeps
 * the position, so `start()` resumes where it stopped.
 */
export class InMemoryConsumer {
  readonly #options: InMemoryConsumerOptions;
  readonly #retry: RetryPolicy;
  readonly #logger: Logger;
  readonly #subscriptions: AnySubscription[] = [];
  readonly #cursors: Cursor[] = [];
  readonly #unsubscribe: (() => void)[] = [];
  readonly #sleeping = new Set<() => void>();
  #running = false;
  #started = false;

  constructor(options: InMemoryConsumerOptions) {
    this.#options = options;
    this.#retry = options.retry ?? retryPolicy();
    this.#logger = options.logger ?? consoleLogger();
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.#running;
  }

  /** Adds a handler for `options.topics`; takes effect at once when already started. */
  subscribe<E>(options: SubscriptionOptions<E, InMemoryConsumedMessage>, handler: MessageHandler<E, InMemoryConsumedMessage>): this {
    const subscription = { ...options, handler } as AnySubscription;
    this.#subscriptions.push(subscription);
    if (this.#running) this.#attach(subscription);
    return this;
  }

  /** Starts delivering: existing records first when `fromBeginning`, then new ones. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    if (!this.#started) {
      this.#started = true;
      for (const subscription of this.#subscriptions) this.#attach(subscription);
      return;
    }
    for (const cursor of this.#cursors) this.#listen(cursor);
  }

  /** Resolves once every record delivered so far has been handled. */
  async idle(): Promise<void> {
    while (this.#cursors.some((cursor) => cursor.active)) await Promise.all(this.#cursors.map((cursor) => cursor.drained));
  }

  /**
   * Stops taking records: the record being handled finishes (a pending retry is abandoned and
   * the record redelivered on the next start), then this resolves.
   */
  async stop(): Promise<void> {
    this.#running = false;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    for (const wake of [...this.#sleeping]) wake();
    await this.idle();
  }

  #attach(subscription: AnySubscription): void {
    const fromBeginning = this.#options.fromBeginning ?? true;
    for (const topic of subscription.topics) {
      const position = fromBeginning ? 0 : this.#options.broker.records(topic).length;
      const cursor: Cursor = { subscription, topic, position, active: false, drained: Promise.resolve() };
      this.#cursors.push(cursor);
      this.#listen(cursor);
    }
  }

  #listen(cursor: Cursor): void {
    this.#unsubscribe.push(this.#options.broker.subscribe(cursor.topic, () => this.#wake(cursor)));
    this.#wake(cursor);
  }

  #wake(cursor: Cursor): void {
    if (cursor.active || !this.#running) return;
    // Set before the loop starts: the loop may finish synchronously and clear it.
    cursor.active = true;
    cursor.drained = this.#drain(cursor);
  }

  async #drain(cursor: Cursor): Promise<void> {
    try {
      for (;;) {
        // Read the log afresh each time: the topic may have been created meanwhile.
        const record = this.#options.broker.records(cursor.topic)[cursor.position];
        if (record === undefined || !this.#running) return;
        const settled = await this.#deliver(cursor.subscription, record);
        if (settled === 'stopped') return;
        cursor.position += 1;
      }
    } finally {
      // Cleared in the same turn the loop saw no more records, so no wake-up is lost.
      cursor.active = false;
    }
  }

  async #deliver(subscription: AnySubscription, record: InMemoryRecord): Promise<Settled> {
    try {
      for (let attempt = 1; ; attempt += 1) {
        const outcome = await processDelivery<unknown, InMemoryConsumedMessage>(
          { topic: record.topic, key: record.key, headers: record.headers, value: record.value, attempt, offset: record.offset },
          subscription,
        );
        if (outcome.kind !== 'nack') return 'done';
        const step = nextStep(this.#retry, attempt, outcome.error);
        if (step.retry) {
          await this.#sleep(step.delayMs);
          if (!this.#running) return 'stopped';
          continue;
        }
        this.#deadLetter(record, outcome.error, attempt);
        return 'done';
      }
    } catch (error) {
      // Only a throwing policy, backoff or dead-letter hook gets here: log it and move on,
      // so one record never stalls the topic.
      this.#logger.error(`could not process message ${record.topic}@${record.offset}; skipping it`, { error: describeError(error).message });
      return 'done';
    }
  }

  #deadLetter(record: InMemoryRecord, error: unknown, attempts: number): void {
    const deadLetterTopic = (this.#options.deadLetterTopic ?? ((topic: string) => `${topic}.dlq`))(record.topic);
    const described = describeError(error);
    this.#logger.warn(`dead-lettering message ${record.topic}@${record.offset} to ${deadLetterTopic} after ${attempts} attempt(s)`, {
      errorType: described.type,
      error: described.message,
    });
    this.#options.broker.append(deadLetterTopic, {
      key: record.key,
      value: record.value,
      headers: deadLetterHeaders(record.headers, error, attempts, { topic: record.topic, offset: String(record.offset) }),
    });
  }

  /** Waits `ms`, or less when `stop()` is called meanwhile. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#sleeping.add(wake);
    });
  }
}
