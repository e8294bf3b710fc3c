import { JsonValueDeserializer, isDeserializeError, retryPolicy, silentLogger } from '@cqrs/core';
import { AMQPConsumer } from '@cqrs/rabbitmq';
import { UserCreatedEvent } from './events';
import { AMQP_URL } from './helpers';

/** What `flakyConsumer` records: who was handled at which attempt, and the attempts of `always-fails`. */
export interface FlakyConsumer {
  readonly consumer: AMQPConsumer;
  /** `userId@attempt` of each handled event. */
  readonly handled: string[];
  readonly attemptsOfFailing: number[];
}

/**
 * A consumer of `users.*` into `queue` whose handler throws for user `always-fails` every time
 * and for user `fails-once` on its first attempt, and records the rest; bytes that do not
 * decode are nacked.
 */
export function flakyConsumer(options: { exchangeName: string; queue: string; maxAttempts: number; backoffMs: number }): FlakyConsumer {
  const handled: string[] = [];
  const attemptsOfFailing: number[] = [];
  const consumer = new AMQPConsumer({
    url: AMQP_URL,
    exchangeName: options.exchangeName,
    logger: silentLogger,
    retry: retryPolicy({ maxAttempts: options.maxAttempts, backoff: () => options.backoffMs }),
  }).subscribe({ topics: ['users.*'], queue: options.queue, valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, async (body, msg) => {
    if (isDeserializeError(body) || body === null) return msg.nack();
    if (body.payload.userId === 'always-fails') {
      attemptsOfFailing.push(msg.attempt);
      throw new Error('database is down');
    }
    if (body.payload.userId === 'fails-once' && msg.attempt === 1) throw new Error('flaky');
    handled.push(`${body.payload.userId}@${msg.attempt}`);
  });
  return { consumer, handled, attemptsOfFailing };
}
