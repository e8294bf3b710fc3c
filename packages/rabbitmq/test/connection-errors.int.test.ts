import { messageFromEvent, JsonValueDeserializer, type LogFields, type Logger } from '@cqrs/core';
import { AMQPAuthenticationError, AMQPConnectionError, AMQPConsumer, AMQPMessageBroker, AMQPPublishTimeoutError, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { unique } from '@cqrs/test-fixtures';
import { UserCreatedEvent, userCreated } from './events';
import { AMQP_URL } from './helpers';

const SECRET = 'not-the-password-7f3a';

function wrongPasswordUrl(): string {
  const url = new URL(AMQP_URL);
  url.password = SECRET;
  return url.toString();
}

function capturingLogger(lines: string[]): Logger {
  const write = (message: string, fields?: LogFields): void => {
    lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { debug: write, info: write, warn: write, error: write };
}

test('a wrong password gives a typed, non-retriable error that does not contain the password', async () => {
  const lines: string[] = [];
  const publisher = new AMQPPublisherAdapter({ url: wrongPasswordUrl(), logger: capturingLogger(lines) });
  const broker = new AMQPMessageBroker({ publisher, exchangeName: unique('auth') });
  const error: unknown = await broker.sendMessage(messageFromEvent(userCreated('users', 'u'))).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AMQPAuthenticationError);
  const typed = error as AMQPAuthenticationError;
  expect(typed.code).toBe('AMQP_AUTHENTICATION');
  expect(typed.retriable).toBe(false);
  expect(typed.message).toMatch(/refused the login/);
  expect(typed.message).toContain('***@');
  expect(`${typed.message} ${typed.stack ?? ''}`).not.toContain(SECRET);

  const consumer = new AMQPConsumer({ url: wrongPasswordUrl(), exchangeName: unique('auth'), logger: capturingLogger(lines) }).subscribe(
    { topics: ['users'], queue: unique('auth-q'), valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) },
    () => undefined,
  );
  await expect(consumer.start()).rejects.toBeInstanceOf(AMQPAuthenticationError);
  expect(lines.join('\n')).not.toContain(SECRET);
  await broker.close();
}, 60_000);

test('an unreachable broker gives retriable errors: a publish times out, a consumer start fails', async () => {
  const url = 'amqp://guest:guest@127.0.0.1:1';
  const lines: string[] = [];
  const publisher = new AMQPPublisherAdapter({ url, logger: capturingLogger(lines), publishTimeoutMs: 500, connectionRetry: () => 50 });
  const error: unknown = await publisher.connect().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AMQPConnectionError);
  expect((error as AMQPConnectionError).retriable).toBe(true);

  const broker = new AMQPMessageBroker({ publisher, exchangeName: unique('down') });
  const failed: unknown = await broker.sendMessage(messageFromEvent(userCreated('users', 'u'))).catch((e: unknown) => e);
  // Waiting for the connection inside the send is bounded by publishTimeoutMs.
  expect([AMQPConnectionError, AMQPPublishTimeoutError].some((type) => failed instanceof type)).toBe(true);
  expect((failed as AMQPConnectionError).retriable).toBe(true);
  expect(lines.join('\n')).not.toContain('guest:guest');

  const consumer = new AMQPConsumer({ url, exchangeName: 'x', logger: capturingLogger(lines), startTimeoutMs: 300, connectionRetry: () => 50 }).subscribe(
    { topics: ['users'], queue: 'q', valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) },
    () => undefined,
  );
  const startError: unknown = await consumer.start().catch((e: unknown) => e);
  expect(startError).toBeInstanceOf(AMQPConnectionError);
  expect((startError as AMQPConnectionError).message).toContain('127.0.0.1:1');
  await broker.close();
}, 60_000);
