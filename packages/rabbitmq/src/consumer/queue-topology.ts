import { defaultDeadLetterTopic } from '@cqrs/core';

/** Queue arguments as AMQP carries them. */
export type QueueArguments = Readonly<Record<string, string | number | boolean>>;

/** One queue with its declaration arguments. */
export interface QueueDeclaration {
  readonly name: string;
  readonly arguments: QueueArguments;
}

/** Everything a subscription's queue needs on the broker; see `queueTopology`. */
export interface QueueTopology {
  /** Topic exchange events are published to. */
  readonly exchange: string;
  /** Direct exchange dead letters go through, routed by the source queue's name. */
  readonly deadLetterExchange: string;
  /** The exchange's `alternate-exchange` argument, when the publishers set one. */
  readonly alternateExchange?: string;
  readonly queue: QueueDeclaration;
  readonly bindingKeys: readonly string[];
  /** One delay queue per retry attempt (`<queue>.retry.<n>`), so similar delays share a queue. */
  readonly retryQueues: readonly QueueDeclaration[];
  readonly deadLetterQueue: QueueDeclaration;
}

/** What `queueTopology` derives the names and arguments from. */
export interface QueueTopologyOptions {
  readonly exchange: string;
  readonly deadLetterExchange: string;
  /** Declare the exchange with this `alternate-exchange`, as `AMQPMessageBroker` does. */
  readonly alternateExchange?: string;
  readonly queue: string;
  /** Name of the dead-letter queue. @default deadLetterQueueName(queue) (`<queue>.dlq`) */
  readonly deadLetterQueue?: string;
  readonly bindingKeys: readonly string[];
  /** Total deliveries allowed: `maxAttempts - 1` retry queues are needed, and one at least (outages retry past `maxAttempts`). */
  readonly maxAttempts: number;
  /** Extra arguments of the main queue, e.g. `{ 'x-queue-type': 'quorum' }`. */
  readonly queueArguments?: QueueArguments;
}

/** Name of the retry queue holding messages that wait for delivery attempt `attempt + 1`. */
export function retryQueueName(queue: string, attempt: number): string {
  return `${queue}.retry.${attempt}`;
}

/**
 * The delay queue a message waits in before delivery `attempt + 1`. An outage is retried past
 * `maxAttempts` (`RetryPolicy.isOutage`): those retries wait in the last queue, whose delays
 * are the backoff's longest, not in a queue that was never declared.
 */
export function retryQueueFor(topology: Pick<QueueTopology, 'retryQueues'>, attempt: number): string {
  const queues = topology.retryQueues;
  const queue = queues[Math.min(attempt, queues.length) - 1];
  if (queue === undefined) throw new Error(`no retry queue for attempt ${attempt}`);
  return queue.name;
}

/** Name of a queue's dead-letter queue by default: core's `defaultDeadLetterTopic`, `<queue>.dlq`. */
export function deadLetterQueueName(queue: string): string {
  return defaultDeadLetterTopic(queue);
}

/**
 * The topology of one consumed queue:
 *
 * - `<queue>`: durable, bound to the topic exchange with each binding key; whatever it rejects
 *   without requeueing (or lets expire) dead-letters to `<deadLetterExchange>` with key `<queue>`.
 * - `<queue>.retry.<n>`: durable delay queues without consumers; a failed message waits there
 *   for its per-message TTL (the backoff), then dead-letters back to `<queue>` through the
 *   default exchange. One queue per attempt, because RabbitMQ expires messages only at the head;
 *   `maxAttempts - 1` of them, and one at least, for outages retried past `maxAttempts`.
 * - `<queue>.dlq`: durable, bound to the dead-letter exchange with key `<queue>`.
 */
export function queueTopology(options: QueueTopologyOptions): QueueTopology {
  const { queue } = options;
  const retryQueues: QueueDeclaration[] = [];
  for (let attempt = 1; attempt <= Math.max(1, options.maxAttempts - 1); attempt += 1) {
    retryQueues.push({
      name: retryQueueName(queue, attempt),
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
    });
  }
  return {
    exchange: options.exchange,
    deadLetterExchange: options.deadLetterExchange,
    ...(options.alternateExchange === undefined ? {} : { alternateExchange: options.alternateExchange }),
    queue: {
      name: queue,
      arguments: { 'x-dead-letter-exchange': options.deadLetterExchange, 'x-dead-letter-routing-key': queue, ...options.queueArguments },
    },
    bindingKeys: options.bindingKeys,
    retryQueues,
    deadLetterQueue: { name: options.deadLetterQueue ?? deadLetterQueueName(queue), arguments: {} },
  };
}
