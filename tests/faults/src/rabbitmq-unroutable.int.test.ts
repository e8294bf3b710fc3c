import { isCqrsError, messageFromEvent, silentLogger } from '@cqrs/core';
import { AMQPMessageBroker, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { IsolatedServices, unique } from '@cqrs/test-fixtures';
import { userEvents } from './support/user-events';

jest.setTimeout(120_000);

let url: string;

beforeAll(async () => {
  url = (await IsolatedServices.up('faults-rabbitmq', ['rabbitmq'])).addresses.amqpUrl;
});

test('a publish no queue is bound to is rejected with a typed error naming the exchange and routing key, never confirmed and dropped', async () => {
  const exchangeName = unique('unbound-exchange');
  const broker = new AMQPMessageBroker({ publisher: new AMQPPublisherAdapter({ url, logger: silentLogger, publishTimeoutMs: 5_000 }), exchangeName });
  const events = userEvents('nobody-listens', 20);
  const outcomes: unknown[] = [];
  try {
    for (const event of events) outcomes.push(await broker.sendMessage(messageFromEvent(event)).then(() => 'confirmed', (error: unknown) => error));
  } finally {
    await broker.close();
  }
  expect(outcomes.filter((outcome) => outcome === 'confirmed')).toHaveLength(0);
  for (const outcome of outcomes) {
    expect(isCqrsError(outcome)).toBe(true);
    expect(String((outcome as Error).message)).toContain(exchangeName);
    expect(String((outcome as Error).message)).toContain('nobody-listens');
  }
});
