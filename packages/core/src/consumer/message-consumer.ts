import type { ConsumedMessage } from './consumed-message';
import type { ConsumerState } from './consumer-lifecycle';
import type { MessageHandler } from './message-handler';
import type { SubscriptionOptions } from './subscription';

/**
 * What every consumer is [FastStream's broker app]: `InMemoryConsumer`, `KafkaConsumer` and
 * `AMQPConsumer` implement it with one lifecycle and one delivery runner, so code written
 * against it runs on any transport. `S` is the transport's subscription options (RabbitMQ adds
 * the queue).
 */
export interface MessageConsumer<M extends ConsumedMessage = ConsumedMessage, S extends SubscriptionOptions<unknown, M> = SubscriptionOptions<unknown, M>> {
  /** Where the consumer stands; see `ConsumerState`. */
  readonly state: ConsumerState;
  /** Adds a handler; only before `start()`, else `ConsumerStateError`. */
  subscribe<E>(options: S & SubscriptionOptions<E, M>, handler: MessageHandler<E, M>): this;
  /** Connects and starts delivering; resolves once it does. Once only: `ConsumerStateError` after that. */
  start(): Promise<void>;
  /** Stops taking messages, lets those in flight finish (or returns them to the transport), disconnects. Idempotent. */
  stop(): Promise<void>;
  /** Starts, then resolves when stopped (by `stop()` or a signal) [app.run()]; rejects when the transport gave up. */
  run(): Promise<void>;
  /** Resolves once every message delivered so far has been handled. */
  idle(): Promise<void>;
}
