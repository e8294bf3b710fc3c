import { JsonValueDeserializer, messageFromEvent, silentLogger } from '@cqrs/core';
import { AMQPConfigError, AMQPConsumer, AMQPHeaders, AMQPMessageBroker, AMQPPublisherAdapter, AMQPUnroutableError, isAMQPError } from '@cqrs/rabbitmq';
import { UserCreatedEvent, userCreated } from './events';
import { FakeConnection, fakeConnector } from './fakes';

const URL = 'amqp://app:s3cret@broker:5672';

function setUp(options: { alternateExchange?: string } = {}) {
  const connection = new FakeConnection();
  connection.unroutable.add('nowhere');
  const connector = fakeConnector([() => connection]);
  const publisher = new AMQPPublisherAdapter({ url: URL, connect: connector.connect, logger: silentLogger, connectionRetry: () => 1, publishTimeoutMs: 2_000 });
  const broker = new AMQPMessageBroker({ publisher, exchangeName: 'events', ...options });
  return { connection, broker };
}

test('a publish the broker returns rejects with the non-retriable AMQPUnroutableError naming exchange and routing key', async () => {
  const { connection, broker } = setUp();
  const error: unknown = await broker.sendMessage(messageFromEvent(userCreated('nowhere', 'a'))).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AMQPUnroutableError);
  expect(isAMQPError(error)).toBe(true);
  const unroutable = error as AMQPUnroutableError;
  expect(unroutable).toMatchObject({ code: 'AMQP_UNROUTABLE', retriable: false, exchange: 'events', routingKey: 'nowhere' });
  expect(unroutable.message).toContain("exchange 'events'");
  expect(unroutable.message).toContain("routing key 'nowhere'");
  expect(unroutable.message).not.toContain('s3cret');
  const published = connection.channels[0]!.published;
  expect(published.map((p) => p.options.mandatory)).toEqual([true]);
  await broker.close();
});

test('returns are matched by publish sequence, not message id: the same event sent twice at once fails only where unroutable', async () => {
  const { connection, broker } = setUp();
  const message = messageFromEvent(userCreated('users', 'a'));
  const [routed, returned] = await Promise.allSettled([broker.sendMessage(message), broker.sendMessage({ ...message, topic: 'nowhere' })]);
  expect(routed.status).toBe('fulfilled');
  expect(returned.status === 'rejected' && returned.reason).toBeInstanceOf(AMQPUnroutableError);
  const published = connection.channels[0]!.published;
  expect(new Set(published.map((p) => p.options.messageId))).toEqual(new Set([message.messageId]));
  const seqs = published.map((p) => (p.options.headers as Record<string, string>)[AMQPHeaders.publishSeq]);
  expect(new Set(seqs).size).toBe(2);
  await broker.close();
});

test('a batch with an unroutable message rejects, the routable ones still reach the broker', async () => {
  const { connection, broker } = setUp();
  const sending = broker.sendMessages([messageFromEvent(userCreated('users', 'a')), messageFromEvent(userCreated('nowhere', 'b'))]);
  await expect(sending).rejects.toBeInstanceOf(AMQPUnroutableError);
  expect(connection.channels[0]!.published.map((p) => p.routingKey)).toEqual(['users', 'nowhere']);
  await broker.close();
});

test('with alternateExchange the exchange is declared with it and an unroutable send resolves', async () => {
  const { connection, broker } = setUp({ alternateExchange: 'events.unrouted' });
  await expect(broker.sendMessage(messageFromEvent(userCreated('nowhere', 'a')))).resolves.toBeUndefined();
  expect(connection.channels[0]!.declared).toEqual(['exchange:events.unrouted', 'exchange:events:{"alternate-exchange":"events.unrouted"}']);
  await broker.close();
});

test('alternateExchange without declareExchange is refused before anything connects', () => {
  const publisher = new AMQPPublisherAdapter({ url: URL, connect: fakeConnector([]).connect, logger: silentLogger });
  expect(() => new AMQPMessageBroker({ publisher, exchangeName: 'events', declareExchange: false, alternateExchange: 'ae' })).toThrow(AMQPConfigError);
});

test('a consumer given the same alternateExchange declares the exchange as the broker does, so neither redeclaration is refused', async () => {
  const connector = fakeConnector([]);
  const consumer = new AMQPConsumer({ url: URL, exchangeName: 'events', alternateExchange: 'events.unrouted', connect: connector.connect, logger: silentLogger, connectionRetry: () => 1 }).subscribe(
    { topics: ['users'], queue: 'billing', valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) },
    () => undefined,
  );
  await consumer.start();
  try {
    const declared = connector.connections[0]!.channels[0]!.declared;
    expect(declared.slice(0, 2)).toEqual(['exchange:events.unrouted', 'exchange:events:{"alternate-exchange":"events.unrouted"}']);
  } finally {
    await consumer.stop();
  }
});
