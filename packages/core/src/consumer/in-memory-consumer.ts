import type { InMemoryMessageBroker, InMemoryRecord } from '../brokers/in-memory-message-broker';
import { consoleLogger, type Logger } from '../logging/logger';
import type { ConsumedMessage } from './consumed-message';
import { deadLetterHeaders } from './dead-letter';
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
  /** Read records already in the topic when starting; default true. */
  readonly fromBeginning?: boolean;
  readonly retry?: RetryPolicy;
  /** Dead-letter topic of a source topic; default `<topic>.dlq`. */
  readonly deadLetterTopic?: (topic: string) => string;
  readonly logger?: Logger;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Consumes an `InMemoryMessageBroker` with the same contract as the Kafka and RabbitMQ
 * consumers: `(body, msg)` handlers, ack/nack, retries with backoff, then a dead-letter topic
 * holding the original bytes. Records of one topic are handled in order.
 */
export class InMemoryConsumer {
  readonly #options: InMemoryConsumerOptions;
  readonly #retry: RetryPolicy;
  readonly #logger: Logger;
  readonly #subscriptions: Subscription<unknown, InMemoryConsumedMessage>[] = [];
  readonly #unsubscribe: (() => void)[] = [];
  readonly #queues = new Map<string, Promise<void>>();
  #running = false;

  constructor(options: InMemoryConsumerOptions) {
    this.#options = options;
    this.#retry = options.retry ?? retryPolicy();
    this.#logger = options.logger ?? consoleLogger();
  }

  /** Adds a handler for `options.topics`; call before `start()`. */
  subscribe<E>(options: SubscriptionOptions<E, InMemoryConsumedMessage>, handler: MessageHandler<E, InMemoryConsumedMessage>): this {
    this.#subscriptions.push({ ...options, handler } as Subscription<unknown, InMemoryConsumedMessage>);
    return this;
  }

  /** Starts delivering: existing records first when `fromBeginning`, then new ones. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    for (const subscription of this.#subscriptions) {
      for (const topic of subscription.topics) {
        if (this.#options.fromBeginning ?? true) for (const record of this.#options.broker.records(topic)) this.#enqueue(subscription, record);
        this.#unsubscribe.push(this.#options.broker.subscribe(topic, (record) => this.#enqueue(subscription, record)));
      }
    }
  }

  /** Resolves once every record delivered so far has been handled. */
  async idle(): Promise<void> {
    let pending = [...this.#queues.values()];
    while (pending.length > 0) {
      await Promise.all(pending);
      const now = [...this.#queues.values()];
      pending = now.filter((queue) => !pending.includes(queue));
    }
  }

  /** Stops taking new records and waits for the ones in flight. */
  async stop(): Promise<void> {
    this.#running = false;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    await this.idle();
  }

  #enqueue(subscription: Subscription<unknown, InMemoryConsumedMessage>, record: InMemoryRecord): void {
    const key = `${subscription.topics.join(',')}|${record.topic}`;
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.#deliver(subscription, record));
    this.#queues.set(key, next);
  }

  async #deliver(subscription: Subscription<unknown, InMemoryConsumedMessage>, record: InMemoryRecord): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await processDelivery<unknown, InMemoryConsumedMessage>(
        { topic: record.topic, key: record.key, headers: record.headers, value: record.value, attempt, offset: record.offset },
        subscription,
      );
      if (outcome.kind !== 'nack') return;
      const step = nextStep(this.#retry, attempt, outcome.error);
      if (step.retry) {
        await sleep(step.delayMs);
        continue;
      }
      const deadLetterTopic = (this.#options.deadLetterTopic ?? ((topic: string) => `${topic}.dlq`))(record.topic);
      this.#logger.warn(`dead-lettering message ${record.topic}@${record.offset} to ${deadLetterTopic} after ${attempt} attempt(s)`);
      this.#options.broker.append(deadLetterTopic, {
        key: record.key,
        value: record.value,
        headers: deadLetterHeaders(record.headers, outcome.error, attempt, { topic: record.topic, offset: String(record.offset) }),
      });
      return;
    }
  }
}
