import { JsonValueDeserializer, isDeserializeError, messageFromEvent, silentLogger } from '@cqrs/core';
import { AMQPConsumer, AMQPMessageBroker, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { unique, waitFor } from '@cqrs/test-fixtures';
import { UserCreatedEvent, userCreated } from './events';
import { AMQP_URL, closeConnectionsNamed, connectionsNamed, deleteTopology, queuesOf, rawChannel } from './helpers';

const TOTAL = 400;

test('the server closes every connection mid-stream and every published message is still handled at least once', async () => {
  const exchangeName = unique('reconnect');
  const queue = unique('reconnect-q');
  const publisherName = unique('pub');
  const consumerName = unique('con');
  const backoff = { connectionRetry: () => 100 };
  const publisher = new AMQPPublisherAdapter({ url: AMQP_URL, logger: silentLogger, connectionName: publisherName, publishTimeoutMs: 20_000, ...backoff });
  const broker = new AMQPMessageBroker({ publisher, exchangeName });
  const seen = new Map<string, number>();
  const consumer = new AMQPConsumer({ url: AMQP_URL, exchangeName, logger: silentLogger, connectionName: consumerName, prefetch: 8, ...backoff }).subscribe(
    { topics: ['users'], queue, valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) },
    async (body, msg) => {
      if (isDeserializeError(body) || body === null) return msg.nack();
      // Yield so deliveries are in flight when the connection drops.
      await new Promise((resolve) => setImmediate(resolve));
      seen.set(body.eventId, (seen.get(body.eventId) ?? 0) + 1);
    },
  );
  const events = Array.from({ length: TOTAL }, (_, i) => userCreated('users', `user-${i}`));
  try {
    await consumer.start();
    await publisher.connect();
    await waitFor(async () => (await connectionsNamed(publisherName)).length === 1 && (await connectionsNamed(consumerName)).length === 1, 'both connections to show in the management API');

    let sent = 0;
    const sending = (async () => {
      for (let i = 0; i < TOTAL; i += 4) {
        await broker.sendMessages(events.slice(i, i + 4).map((event) => messageFromEvent(event)));
        sent += 4;
      }
    })();
    await waitFor(() => seen.size >= TOTAL / 4, 'a quarter to be handled');
    const closed = (await closeConnectionsNamed(publisherName)) + (await closeConnectionsNamed(consumerName));
    expect(closed).toBe(2);
    expect(sent).toBeLessThan(TOTAL);

    await sending;
    await waitFor(() => seen.size === TOTAL, 'every event to be handled', 40_000);
    expect(events.every((event) => (seen.get(event.eventId) ?? 0) >= 1)).toBe(true);
    // Both sides came back on new connections.
    await waitFor(async () => (await connectionsNamed(publisherName)).length === 1 && (await connectionsNamed(consumerName)).length === 1, 'the reconnected connections to show');
    expect(consumer.connected).toBe(true);
    expect(publisher.connected).toBe(true);

    const raw = await rawChannel();
    try {
      expect((await raw.channel.checkQueue(`${queue}.dlq`)).messageCount).toBe(0);
    } finally {
      await raw.close();
    }
  } finally {
    await consumer.stop();
    await broker.close();
    await deleteTopology(queuesOf(queue, 3), [exchangeName, `${exchangeName}.dlx`]);
  }
}, 60_000);
