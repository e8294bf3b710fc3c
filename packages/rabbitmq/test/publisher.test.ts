import { messageFromEvent, silentLogger } from '@cqrs/core';
import { AMQPAuthenticationError, AMQPClosedError, AMQPMessageBroker, AMQPPublishNackedError, AMQPPublishTimeoutError, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { userCreated } from './events';
import { FakeConnection, fakeConnector } from './fakes';

const URL = 'amqp://app:s3cret@broker:5672';

function setUp(outcomes: (() => FakeConnection | Error)[], options: { publishTimeoutMs?: number } = {}) {
  const connector = fakeConnector(outcomes);
  const publisher = new AMQPPublisherAdapter({ url: URL, connect: connector.connect, logger: silentLogger, connectionRetry: () => 1, publishTimeoutMs: options.publishTimeoutMs ?? 2_000 });
  const broker = new AMQPMessageBroker({ publisher, exchangeName: 'events' });
  return { connector, publisher, broker };
}

test('declares the exchange once per connection, not per message, and publishes persistent messages', async () => {
  const { connector, broker } = setUp([]);
  await broker.sendMessage(messageFromEvent(userCreated('users', 'a')));
  await broker.sendMessages([messageFromEvent(userCreated('users', 'b')), messageFromEvent(userCreated('orders', 'c'))]);
  const channel = connector.connections[0]!.channels[0]!;
  expect(channel.declared).toEqual(['exchange:events']);
  expect(channel.published.map((p) => [p.exchange, p.routingKey, p.options.persistent])).toEqual([
    ['events', 'users', true],
    ['events', 'users', true],
    ['events', 'orders', true],
  ]);
  expect(connector.calls).toBe(1);
});

test('a publish interrupted by a dropped channel is sent again on the next connection', async () => {
  const { connector, broker } = setUp([() => new FakeConnection('close')]);
  const event = userCreated('users', 'a');
  await broker.sendMessage(messageFromEvent(event));
  expect(connector.calls).toBe(2);
  const second = connector.connections[1]!.channels[0]!;
  // The exchange is declared again on the new connection before the message is resent.
  expect(second.declared).toEqual(['exchange:events']);
  expect(second.published.map((p) => p.options.messageId)).toEqual([event.eventId]);
});

test('a nacked publish fails with the retriable AMQPPublishNackedError', async () => {
  const { broker } = setUp([() => new FakeConnection('nack')]);
  const error: unknown = await broker.sendMessage(messageFromEvent(userCreated('users', 'a'))).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AMQPPublishNackedError);
  expect((error as AMQPPublishNackedError).retriable).toBe(true);
});

test('a publish the broker never confirms fails after publishTimeoutMs with AMQPPublishTimeoutError', async () => {
  const { broker } = setUp([() => new FakeConnection('never')], { publishTimeoutMs: 100 });
  const error: unknown = await broker.sendMessage(messageFromEvent(userCreated('users', 'a'))).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AMQPPublishTimeoutError);
  expect((error as AMQPPublishTimeoutError).retriable).toBe(true);
});

test('a publish while the broker stays unreachable fails with a retriable error, not silently', async () => {
  const refused = (): Error => new Error('connect ECONNREFUSED 10.0.0.1:5672');
  const connector = fakeConnector([], refused);
  const publisher = new AMQPPublisherAdapter({ url: URL, connect: connector.connect, logger: silentLogger, connectionRetry: () => 10, publishTimeoutMs: 100 });
  const error: unknown = await new AMQPMessageBroker({ publisher, exchangeName: 'events' }).sendMessage(messageFromEvent(userCreated('users', 'a'))).catch((e: unknown) => e);
  expect((error as { retriable?: boolean }).retriable).toBe(true);
  expect((error as Error).message).not.toContain('s3cret');
  expect(connector.calls).toBeGreaterThan(1);
});

test('refused credentials fail at once, without retrying', async () => {
  const connector = fakeConnector([], () => new Error('Handshake terminated by server: 403 (ACCESS-REFUSED)'));
  const publisher = new AMQPPublisherAdapter({ url: URL, connect: connector.connect, logger: silentLogger, connectionRetry: () => 1 });
  await expect(publisher.connect()).rejects.toBeInstanceOf(AMQPAuthenticationError);
  expect(connector.calls).toBe(1);
});

test('close() waits for publishes in flight, and later publishes fail with AMQPClosedError', async () => {
  const { broker, publisher } = setUp([]);
  const sending = broker.sendMessage(messageFromEvent(userCreated('users', 'a')));
  await broker.close();
  await expect(sending).resolves.toBeUndefined();
  expect(publisher.connected).toBe(false);
  await expect(broker.sendMessage(messageFromEvent(userCreated('users', 'b')))).rejects.toBeInstanceOf(AMQPClosedError);
});

test('a publish during an outage waits for the reconnection and then succeeds', async () => {
  const { connector, publisher, broker } = setUp([]);
  await publisher.connect();
  connector.connections[0]!.drop();
  expect(publisher.connected).toBe(false);
  await broker.sendMessage(messageFromEvent(userCreated('users', 'a')));
  expect(connector.calls).toBe(2);
  expect(connector.connections[1]!.channels[0]!.published).toHaveLength(1);
});

test('close() resolves while the server does not answer, and the send it abandons fails with AMQPClosedError', async () => {
  const silent = new FakeConnection('never');
  silent.hangOnClose = true;
  const connector = fakeConnector([() => silent]);
  const publisher = new AMQPPublisherAdapter({ url: URL, connect: connector.connect, logger: silentLogger, connectionRetry: () => 1, publishTimeoutMs: 60_000, closeTimeoutMs: 50 });
  const broker = new AMQPMessageBroker({ publisher, exchangeName: 'events' });
  const sending = broker.sendMessage(messageFromEvent(userCreated('users', 'a'))).catch((e: unknown) => e);
  while (silent.channels[0]?.published.length !== 1) await new Promise((resolve) => setImmediate(resolve));
  await broker.close();
  // The socket was destroyed instead of waiting for an answer that never comes.
  expect(silent.closed).toBe(true);
  expect(await sending).toBeInstanceOf(AMQPClosedError);
  expect(publisher.connected).toBe(false);
});
