// Runs a subscriber [@broker.subscriber(...)] on Kafka through KafkaConsumer, or in memory
// through InMemoryConsumer, with the same subscription and handler.
import { InMemoryConsumer, type ConsumedMessage, type MessageHandler, type RetryPolicy, type SubscriptionOptions } from '@cqrs/core';
import { KafkaConsumer } from '@cqrs/kafka';
import { inMemoryBroker, type ExampleSettings } from './settings';

/** One subscriber: what it reads, how it decodes, who handles it. */
export interface Subscriber<E> {
  /** Consumer group [group_id]. */
  readonly groupId: string;
  /** Start at the oldest record when the group has no offset yet [auto_offset_reset="earliest"]; default true. */
  readonly fromBeginning?: boolean;
  readonly retry?: RetryPolicy;
  readonly subscription: SubscriptionOptions<E, ConsumedMessage>;
  readonly handler: MessageHandler<E, ConsumedMessage>;
}

/** Resolves once `count()` reaches `target`, checking every 20 ms. */
function reached(count: () => number, target: number): Promise<void> {
  return new Promise((resolve) => {
    const check = setInterval(() => {
      if (count() >= target) {
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
}

/**
 * Runs `subscriber` until stopped. On Kafka: a consumer group member with manual commits that
 * stops at SIGTERM / Ctrl-C, or once `handled()` reaches `settings.stopAfter`. In memory: reads
 * what the topic holds, then stops.
 */
export async function serve<E>(subscriber: Subscriber<E>, settings: ExampleSettings, handled: () => number): Promise<void> {
  if (settings.brokers === undefined) {
    const consumer = new InMemoryConsumer({ broker: inMemoryBroker(), ...(subscriber.retry === undefined ? {} : { retry: subscriber.retry }) });
    consumer.subscribe(subscriber.subscription, subscriber.handler);
    await consumer.start();
    await consumer.idle();
    await consumer.stop();
    return;
  }
  const consumer = new KafkaConsumer({
    bootstrapServers: settings.brokers,
    groupId: settings.groupId ?? subscriber.groupId,
    fromBeginning: subscriber.fromBeginning ?? true,
    handleSignals: true,
    ...(subscriber.retry === undefined ? {} : { retry: subscriber.retry }),
  });
  consumer.subscribe(subscriber.subscription, subscriber.handler);
  if (settings.stopAfter === undefined) {
    console.log(`consuming ${subscriber.subscription.topics.join(', ')}; Ctrl-C to stop`);
    await consumer.run();
    return;
  }
  await consumer.start();
  await reached(handled, settings.stopAfter);
  await consumer.stop();
}
