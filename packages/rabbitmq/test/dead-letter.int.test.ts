import { DeadLetterHeaders, JsonValueDeserializer, isDeserializeError, jsonValueSerializer, messageFromEvent, retryPolicy, silentLogger } from '@cqrs/core';
import { AMQPConsumer, AMQPHeaders, AMQPMessageBroker, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { unique, waitFor } from '@cqrs/test-fixtures';
import { UserCreatedEvent, userCreated } from './events';
import { flakyConsumer } from './flaky-consumer';
import { AMQP_URL, deleteTopology, drainQueue, queuesOf, rawChannel } from './helpers';

const POISON = [Buffer.from('{"not json'), Buffer.from([0xff, 0xfe, 0x00, 0x01]), Buffer.from('{"event_id":"nope"}')];

test('poison messages land in the dead-letter queue with their original bytes while the good ones around them are handled', async () => {
  const exchangeName = unique('dlq');
  const queue = unique('dlq-q');
  const topic = 'users.created';
  const publisher = new AMQPPublisherAdapter({ url: AMQP_URL, logger: silentLogger });
  const broker = new AMQPMessageBroker({ publisher, exchangeName });
  const { consumer, handled, attemptsOfFailing } = flakyConsumer({ exchangeName, queue, maxAttempts: 3, backoffMs: 50 });
  const raw = await rawChannel();
  try {
    await consumer.start();
    const good = Array.from({ length: 10 }, (_, i) => userCreated(topic, `good-${i}`));
    const failing = userCreated(topic, 'always-fails');
    const flaky = userCreated(topic, 'fails-once');
    for (const [i, event] of good.entries()) {
      await broker.sendMessage(messageFromEvent(event));
      const poison = POISON[i];
      if (poison !== undefined) raw.channel.publish(exchangeName, topic, poison, { persistent: true, messageId: `poison-${i}`, headers: { origin: 'test' } });
    }
    await broker.sendMessages([messageFromEvent(failing), messageFromEvent(flaky)]);

    await waitFor(() => handled.length === 11, 'good and flaky events handled');
    expect(handled.filter((h) => h.startsWith('good-'))).toEqual(expect.arrayContaining(good.map((e) => `${e.payload.userId}@1`)));
    expect(handled).toContain('fails-once@2');

    await waitFor(() => attemptsOfFailing.length === 3, 'the always-failing event to run out of attempts');
    expect(attemptsOfFailing).toEqual([1, 2, 3]);
    let dead: Awaited<ReturnType<typeof drainQueue>> = [];
    await waitFor(
      async () => {
        dead = [...dead, ...(await drainQueue(raw.channel, `${queue}.dlq`))];
        return dead.length >= 4;
      },
      'four dead letters',
    );
    expect(dead).toHaveLength(4);

    const poisoned = dead.filter((m) => String(m.properties.messageId).startsWith('poison-'));
    expect(poisoned.map((m) => String(m.properties.messageId)).sort()).toEqual(['poison-0', 'poison-1', 'poison-2']);
    for (const message of poisoned) {
      const index = Number(String(message.properties.messageId).slice('poison-'.length));
      expect(Buffer.compare(message.content, POISON[index] as Buffer)).toBe(0);
      const headers = message.properties.headers as Record<string, unknown>;
      expect(headers[DeadLetterHeaders.errorType]).toMatch(/^DeserializeJsonError:/);
      expect(headers[DeadLetterHeaders.attempts]).toBe('1');
      expect(headers[DeadLetterHeaders.sourceTopic]).toBe(topic);
      expect(headers[AMQPHeaders.sourceQueue]).toBe(queue);
      expect(headers.origin).toBe('test');
    }

    const exhausted = dead.find((m) => m.properties.messageId === failing.eventId);
    expect(exhausted).toBeDefined();
    const expectedBytes = Buffer.from((await jsonValueSerializer.serialize(messageFromEvent(failing))).value);
    expect(Buffer.compare(exhausted!.content, expectedBytes)).toBe(0);
    const headers = exhausted!.properties.headers as Record<string, unknown>;
    expect(headers[DeadLetterHeaders.error]).toBe('database is down');
    expect(headers[DeadLetterHeaders.errorType]).toBe('Error');
    expect(headers[DeadLetterHeaders.attempts]).toBe('3');
    expect(headers[DeadLetterHeaders.sourceTopic]).toBe(topic);
    expect(exhausted!.properties.contentType).toBe('application/json');
  } finally {
    await consumer.stop();
    await broker.close();
    await raw.close();
    await deleteTopology(queuesOf(queue, 3), [exchangeName, `${exchangeName}.dlx`]);
  }
}, 60_000);

test('an outage retried past maxAttempts waits in the last retry queue and is handled once it ends, never lost', async () => {
  const exchangeName = unique('outage');
  const queue = unique('outage-q');
  const topic = 'users.created';
  const publisher = new AMQPPublisherAdapter({ url: AMQP_URL, logger: silentLogger });
  const broker = new AMQPMessageBroker({ publisher, exchangeName });
  const attempts: number[] = [];
  const handled: string[] = [];
  // Two attempts allowed, but "database down" is an outage: retried for as long as it lasts (here, 5 deliveries).
  const retry = retryPolicy({ maxAttempts: 2, backoff: () => 30, isOutage: (error) => error instanceof Error && error.message === 'database down' });
  const consumer = new AMQPConsumer({ url: AMQP_URL, exchangeName, logger: silentLogger, retry }).subscribe(
    { topics: ['users.*'], queue, valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) },
    async (body, msg) => {
      if (isDeserializeError(body) || body === null) return msg.nack();
      attempts.push(msg.attempt);
      if (msg.attempt < 5) throw new Error('database down');
      handled.push(body.payload.userId);
    },
  );
  const raw = await rawChannel();
  try {
    await consumer.start();
    await broker.sendMessage(messageFromEvent(userCreated(topic, 'waits-out-the-outage')));
    await waitFor(() => handled.length === 1, () => `the event handled after the outage (attempts so far: ${attempts.join(',')})`);
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(handled).toEqual(['waits-out-the-outage']);
    expect(await drainQueue(raw.channel, `${queue}.dlq`)).toHaveLength(0);
  } finally {
    await consumer.stop();
    await broker.close();
    await raw.close();
    await deleteTopology(queuesOf(queue, 2), [exchangeName, `${exchangeName}.dlx`]);
  }
}, 60_000);
