import { ConfigurationError, JsonValueDeserializer, SKIP_MESSAGE, isDeserializeError, jsonValueSerializer, messageFromEvent, retryPolicy, silentLogger, DeadLetterHeaders } from '@cqrs/core';
import { AMQPConfigError, AMQPConsumer, AMQPHeaders, isAMQPError, type AMQPConsumedMessage } from '@cqrs/rabbitmq';
import { UserCreatedEvent, userCreated } from './events';
import { FakeConnection, fakeConnector, fakeDelivery, type FakeChannel } from './fakes';

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function eventBytes(userId: string): Promise<{ bytes: Buffer; event: UserCreatedEvent }> {
  const event = userCreated('users', userId);
  return { event, bytes: Buffer.from((await jsonValueSerializer.serialize(messageFromEvent(event))).value) };
}

function setUp(handler: (body: unknown, msg: AMQPConsumedMessage) => Promise<void> | void, options: { decoder?: Parameters<AMQPConsumer['subscribe']>[0]['decoder'] } = {}) {
  const connector = fakeConnector([]);
  const consumer = new AMQPConsumer({
    url: 'amqp://u:p@h',
    exchangeName: 'events',
    connect: connector.connect,
    logger: silentLogger,
    retry: retryPolicy({ maxAttempts: 3, backoff: (attempt) => attempt * 100 }),
    connectionRetry: () => 1,
  }).subscribe(
    { topics: ['users'], queue: 'billing', valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }), ...(options.decoder === undefined ? {} : { decoder: options.decoder }) },
    handler,
  );
  // Channels per connection: [topology, publish (confirm), consumer].
  const channels = (n = 0): { publish: FakeChannel; consume: FakeChannel } => ({ publish: connector.connections[n]!.channels[1]!, consume: connector.connections[n]!.channels[2]! });
  return { connector, consumer, channels };
}

test('declares the queue, its retry queues and its DLQ, and acks a handled message', async () => {
  const seen: string[] = [];
  const { connector, consumer, channels } = setUp((body) => {
    if (body instanceof UserCreatedEvent) seen.push(body.payload.userId);
  });
  await consumer.start();
  expect(connector.connections[0]!.channels[0]!.declared).toEqual([
    'exchange:events',
    'exchange:events.dlx',
    'queue:billing.dlq:{}',
    'bind:billing.dlq<-events.dlx:billing',
    'queue:billing.retry.1:{"x-dead-letter-exchange":"","x-dead-letter-routing-key":"billing"}',
    'queue:billing.retry.2:{"x-dead-letter-exchange":"","x-dead-letter-routing-key":"billing"}',
    'queue:billing:{"x-dead-letter-exchange":"events.dlx","x-dead-letter-routing-key":"billing"}',
    'bind:billing<-events:users',
  ]);
  const { bytes } = await eventBytes('u1');
  channels().consume.onConsume!(fakeDelivery({ content: bytes, deliveryTag: 5 }));
  await consumer.idle();
  expect(seen).toEqual(['u1']);
  expect(channels().consume.acked).toEqual([5]);
  await consumer.stop();
});

test('a failing handler: the message is copied to the retry queue of its attempt, confirmed, then acked', async () => {
  const { consumer, channels } = setUp(() => {
    throw new Error('boom');
  });
  await consumer.start();
  const { bytes, event } = await eventBytes('u1');
  channels().consume.onConsume!(fakeDelivery({ content: bytes, deliveryTag: 1, messageId: event.eventId, headers: { [AMQPHeaders.attempt]: '2' } }));
  await consumer.idle();
  const [copy] = channels().publish.published;
  expect(copy).toMatchObject({ exchange: '', routingKey: 'billing.retry.2' });
  expect(copy!.options.expiration).toBe('200');
  expect((copy!.options.headers as Record<string, string>)[AMQPHeaders.attempt]).toBe('3');
  expect(channels().consume.acked).toEqual([1]);
  await consumer.stop();
});

test('bad bytes go straight to the dead-letter exchange with the original bytes and the error', async () => {
  const { consumer, channels } = setUp((body, msg) => (isDeserializeError(body) ? msg.nack() : undefined));
  await consumer.start();
  const poison = Buffer.from('{oops');
  channels().consume.onConsume!(fakeDelivery({ content: poison, deliveryTag: 9 }));
  await consumer.idle();
  const [copy] = channels().publish.published;
  expect(copy).toMatchObject({ exchange: 'events.dlx', routingKey: 'billing' });
  expect(copy!.content.equals(poison)).toBe(true);
  const headers = copy!.options.headers as Record<string, string>;
  expect(headers[DeadLetterHeaders.errorType]).toMatch(/^DeserializeJsonError:/);
  expect(headers[DeadLetterHeaders.attempts]).toBe('1');
  expect(channels().consume.acked).toEqual([9]);
  await consumer.stop();
});

test('when the copy cannot be confirmed the original is nacked: requeued for a retry, dead-lettered by the queue for the last attempt', async () => {
  const { consumer, channels } = setUp(() => {
    throw new Error('boom');
  });
  await consumer.start();
  channels().publish.confirm = 'nack';
  const { bytes } = await eventBytes('u1');
  channels().consume.onConsume!(fakeDelivery({ content: bytes, deliveryTag: 1 }));
  channels().consume.onConsume!(fakeDelivery({ content: bytes, deliveryTag: 2, headers: { [AMQPHeaders.attempt]: '3' } }));
  await consumer.idle();
  expect(channels().consume.acked).toEqual([]);
  expect(channels().consume.nacked).toEqual([
    { tag: 1, requeue: true },
    { tag: 2, requeue: false },
  ]);
  await consumer.stop();
});

test('a decoder can skip messages: they are acked and the handler is not called', async () => {
  const calls: unknown[] = [];
  const { consumer, channels } = setUp((body) => void calls.push(body), { decoder: (msg, decode) => (msg.value === null || msg.value.byteLength < 10 ? SKIP_MESSAGE : decode(msg)) });
  await consumer.start();
  channels().consume.onConsume!(fakeDelivery({ content: Buffer.from('{}'), deliveryTag: 3 }));
  await consumer.idle();
  expect(calls).toEqual([]);
  expect(channels().consume.acked).toEqual([3]);
  await consumer.stop();
});

test('after the connection drops the consumer reconnects and consumes again; the old delivery is not acked on the dead channel', async () => {
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const seen: number[] = [];
  const { connector, consumer, channels } = setUp(async (_body, msg) => {
    if (msg.deliveryTag === 1) await held;
    seen.push(msg.deliveryTag);
  });
  await consumer.start();
  const { bytes } = await eventBytes('u1');
  const first = channels(0);
  first.consume.onConsume!(fakeDelivery({ content: bytes, deliveryTag: 1 }));
  connector.connections[0]!.drop();
  await waitUntil(() => connector.connections.length === 2 && consumer.connected);
  release();
  await consumer.idle();
  expect(first.consume.acked).toEqual([]);
  channels(1).consume.onConsume!(fakeDelivery({ content: bytes, deliveryTag: 1, redelivered: true }));
  await consumer.idle();
  expect(channels(1).consume.acked).toEqual([1]);
  expect(seen).toEqual([1, 1]);
  await consumer.stop();
});

test('subscribing twice to a queue or after start is refused', async () => {
  const { consumer } = setUp(() => undefined);
  const again = () => consumer.subscribe({ topics: ['x'], queue: 'billing', valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, () => undefined);
  expect(again).toThrow(/already has a subscription/);
  await consumer.start();
  expect(() => consumer.subscribe({ topics: ['x'], queue: 'other', valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, () => undefined)).toThrow(/before start/);
  await consumer.stop();
});

test('a connection refused at start is retried until startTimeoutMs', async () => {
  const connector = fakeConnector([() => new Error('connect ECONNREFUSED'), () => new Error('connect ECONNREFUSED')], () => new FakeConnection());
  const consumer = new AMQPConsumer({ url: 'amqp://h', exchangeName: 'e', connect: connector.connect, logger: silentLogger, connectionRetry: () => 1 });
  await consumer.start();
  expect(connector.calls).toBe(3);
  expect(consumer.connected).toBe(true);
  await consumer.stop();
});

test('a prefetch below 1 is an AMQPConfigError, a core ConfigurationError', () => {
  const build = () => new AMQPConsumer({ url: 'amqp://h', exchangeName: 'e', prefetch: 0, logger: silentLogger });
  expect(build).toThrow(AMQPConfigError);
  expect(build).toThrow(ConfigurationError);
  try {
    build();
  } catch (error) {
    expect(isAMQPError(error)).toBe(true);
  }
});
