import { JsonValueDeserializer, messageFromEvent, silentLogger } from '@cqrs/core';
import { AMQPConsumer, AMQPMessageBroker, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { unique, waitFor } from '@cqrs/test-fixtures';
import { UserCreatedEvent, userCreated } from './events';
import { AMQP_URL, deleteTopology, queueInfo, queuesOf, rawChannel } from './helpers';

/** A gate handlers wait at until the test opens it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

async function setUp(prefix: string, prefetch: number, total: number) {
  const exchangeName = unique(prefix);
  const queue = unique(`${prefix}-q`);
  const publisher = new AMQPPublisherAdapter({ url: AMQP_URL, logger: silentLogger });
  const broker = new AMQPMessageBroker({ publisher, exchangeName });
  const held = gate();
  const state = { running: 0, maxRunning: 0, handled: [] as string[] };
  const consumer = new AMQPConsumer({ url: AMQP_URL, exchangeName, prefetch, logger: silentLogger }).subscribe(
    { topics: ['users'], queue, valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) },
    async (body) => {
      state.running += 1;
      state.maxRunning = Math.max(state.maxRunning, state.running);
      await held.wait;
      state.running -= 1;
      if (body instanceof UserCreatedEvent) state.handled.push(body.payload.userId);
    },
  );
  await consumer.start();
  await broker.sendMessages(Array.from({ length: total }, (_, i) => messageFromEvent(userCreated('users', `u${i}`))));
  const cleanUp = async (): Promise<void> => {
    held.open();
    await consumer.stop();
    await broker.close();
    await deleteTopology(queuesOf(queue, 3), [exchangeName, `${exchangeName}.dlx`]);
  };
  return { queue, consumer, held, state, cleanUp };
}

test('prefetch is respected: no more than N messages are unacked at once', async () => {
  const { queue, consumer, held, state, cleanUp } = await setUp('prefetch', 4, 40);
  try {
    await waitFor(() => state.running === 4, 'four handlers to be running');
    // The broker's own count: 4 delivered and unacked, 36 held back.
    await waitFor(
      async () => {
        const info = (await queueInfo(queue)) as { messages_unacknowledged?: number; messages_ready?: number } | undefined;
        return info?.messages_unacknowledged === 4 && info.messages_ready === 36;
      },
      'the management API to report 4 unacked and 36 ready',
    );
    expect(consumer.inFlight).toBe(4);
    held.open();
    await waitFor(() => state.handled.length === 40, 'all 40 to be handled');
    expect(state.maxRunning).toBe(4);
  } finally {
    await cleanUp();
  }
}, 60_000);

test('stop() drains the messages in flight, acks them, and leaves the rest in the queue', async () => {
  const { queue, consumer, held, state, cleanUp } = await setUp('drain', 3, 10);
  try {
    await waitFor(() => state.running === 3, 'three handlers to be running');
    const stopping = consumer.stop();
    held.open();
    await stopping;
    expect(state.handled).toHaveLength(3);
    expect(consumer.connected).toBe(false);
    const raw = await rawChannel();
    try {
      // Acked ones are gone; the 7 never started are back in the queue, ready for the next consumer.
      await waitFor(async () => (await raw.channel.checkQueue(queue)).messageCount === 7, '7 messages ready');
    } finally {
      await raw.close();
    }
  } finally {
    await cleanUp();
  }
}, 60_000);
