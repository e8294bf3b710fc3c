import { messageFromEvent, silentLogger } from '@cqrs/core';
import { AMQPMessageBroker, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { unique, waitFor } from '@cqrs/test-fixtures';
import { userCreated } from './events';
import { flakyConsumer } from './flaky-consumer';
import { AMQP_URL, deleteTopology, drainQueue, queuesOf, rawChannel } from './helpers';

/**
 * A retry or dead-letter copy sent to a queue that no longer exists would be confirmed and
 * dropped by RabbitMQ, with the original acked: lost. The consumer publishes its copies
 * `mandatory`, and one that comes back makes it reconnect and declare its topology again.
 */
test('retry and dead-letter queues deleted under a running consumer: no copy is dropped, the topology is declared again', async () => {
  const exchangeName = unique('gone');
  const queue = unique('gone-q');
  const topic = 'users.created';
  const publisher = new AMQPPublisherAdapter({ url: AMQP_URL, logger: silentLogger });
  const broker = new AMQPMessageBroker({ publisher, exchangeName });
  const { consumer, handled, attemptsOfFailing } = flakyConsumer({ exchangeName, queue, maxAttempts: 2, backoffMs: 30 });
  const raw = await rawChannel();
  try {
    await consumer.start();
    await raw.channel.deleteQueue(`${queue}.retry.1`);
    await raw.channel.deleteQueue(`${queue}.dlq`);
    const failing = userCreated(topic, 'always-fails');
    await broker.sendMessages([messageFromEvent(userCreated(topic, 'fails-once')), messageFromEvent(failing)]);

    await waitFor(() => handled.length === 1, () => `the flaky event handled on its retry (handled: ${handled.join(',')})`);
    expect(handled).toEqual(['fails-once@2']);
    let dead: Awaited<ReturnType<typeof drainQueue>> = [];
    await waitFor(
      async () => {
        dead = [...dead, ...(await drainQueue(raw.channel, `${queue}.dlq`))];
        return dead.length >= 1;
      },
      () => `the failing event dead-lettered (its attempts: ${attemptsOfFailing.join(',')})`,
    );
    expect(dead.map((message) => String(message.properties.messageId))).toEqual([failing.eventId]);
    expect(attemptsOfFailing.length).toBeGreaterThanOrEqual(2);
    expect(consumer.state).toBe('running');
  } finally {
    await consumer.stop();
    await broker.close();
    await raw.close();
    await deleteTopology(queuesOf(queue, 2), [exchangeName, `${exchangeName}.dlx`]);
  }
}, 60_000);
