import { JsonValueDeserializer, isCqrsError, isDeserializeError, messageFromEvent, silentLogger } from '@cqrs/core';
import { AMQPConsumer, AMQPMessageBroker, AMQPPublisherAdapter, AMQPUnroutableError } from '@cqrs/rabbitmq';
import { IsolatedServices, UserCreatedEvent, unique, waitFor } from '@cqrs/test-fixtures';
import { EventLedger } from './support/ledger';
import { pool, userEvents } from './support/user-events';

jest.setTimeout(120_000);

let url: string;

beforeAll(async () => {
  url = (await IsolatedServices.up('faults-rabbitmq', ['rabbitmq'])).addresses.amqpUrl;
});

const SENDS = 200;

/** Sends every event through `broker` with a few concurrent senders, counting each outcome. */
async function sendAll(broker: AMQPMessageBroker, ledger: EventLedger, events: readonly UserCreatedEvent[], topicOf: (event: UserCreatedEvent) => string = (event) => event.topic): Promise<void> {
  await pool(events, 4, async (event) => {
    ledger.sent(event.eventId);
    try {
      await broker.sendMessage({ ...messageFromEvent(event), topic: topicOf(event) });
      ledger.acknowledged(event.eventId);
    } catch (error) {
      ledger.rejected(event.eventId, error);
    }
  });
}

function consumerOf(exchangeName: string, queue: string, topics: string[], ledger: EventLedger): AMQPConsumer {
  return new AMQPConsumer({ url, exchangeName, logger: silentLogger }).subscribe(
    { topics, queue, valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) },
    async (body, msg) => {
      if (isDeserializeError(body) || body === null) return msg.nack();
      ledger.handled(body.eventId);
    },
  );
}

test('a publish no queue is bound to is rejected with a typed error naming the exchange and routing key, never confirmed and dropped', async () => {
  const exchangeName = unique('unbound-exchange');
  const ledger = new EventLedger('rabbitmq unroutable publish, no queue bound');
  const broker = new AMQPMessageBroker({ publisher: new AMQPPublisherAdapter({ url, logger: silentLogger, publishTimeoutMs: 5_000 }), exchangeName });
  try {
    await sendAll(broker, ledger, userEvents('nobody-listens', SENDS));
  } finally {
    await broker.close();
  }
  const counts = ledger.counts();
  expect(counts).toMatchObject({ sent: SENDS, acknowledged: 0, rejected: SENDS, lost: 0 });
  for (const outcome of ledger.rejectionErrors) {
    expect(isCqrsError(outcome)).toBe(true);
    expect(outcome).toBeInstanceOf(AMQPUnroutableError);
    expect((outcome as AMQPUnroutableError).retriable).toBe(false);
    expect(String((outcome as Error).message)).toContain(exchangeName);
    expect(String((outcome as Error).message)).toContain('nobody-listens');
  }
});

test('returns find their publish when the same event goes to a bound and an unbound key at once: only the unbound copy is rejected', async () => {
  const exchangeName = unique('half-bound-exchange');
  const routed = new EventLedger('rabbitmq unroutable publish, same ids: bound key');
  const returned = new EventLedger('rabbitmq unroutable publish, same ids: unbound key');
  const consumer = consumerOf(exchangeName, unique('half-bound-q'), ['users'], routed);
  const broker = new AMQPMessageBroker({ publisher: new AMQPPublisherAdapter({ url, logger: silentLogger, publishTimeoutMs: 5_000 }), exchangeName });
  const events = userEvents('users', SENDS);
  try {
    // The queue is bound before the first publish.
    await consumer.start();
    await Promise.all([sendAll(broker, routed, events), sendAll(broker, returned, events, () => 'nobody-listens')]);
    await waitFor(() => routed.handledIds.size >= routed.acknowledgedIds.size, 'every confirmed event on the bound key to be handled');
  } finally {
    await broker.close();
    await consumer.stop();
  }
  expect(routed.counts()).toMatchObject({ sent: SENDS, acknowledged: SENDS, rejected: 0, handled: SENDS, lost: 0 });
  expect(returned.counts()).toMatchObject({ sent: SENDS, acknowledged: 0, rejected: SENDS });
  for (const outcome of returned.rejectionErrors) expect(outcome).toBeInstanceOf(AMQPUnroutableError);
});

test('with alternateExchange an unroutable publish resolves and reaches the queue bound to the alternate exchange', async () => {
  const exchangeName = unique('ae-exchange');
  const alternateExchange = `${exchangeName}.unrouted`;
  const ledger = new EventLedger('rabbitmq unroutable publish, alternate exchange');
  // A queue catching everything the alternate exchange receives, bound before the first publish.
  const consumer = consumerOf(alternateExchange, unique('unrouted-q'), ['#'], ledger);
  const broker = new AMQPMessageBroker({ publisher: new AMQPPublisherAdapter({ url, logger: silentLogger, publishTimeoutMs: 5_000 }), exchangeName, alternateExchange });
  try {
    await consumer.start();
    await sendAll(broker, ledger, userEvents('nobody-listens', SENDS));
    await waitFor(() => ledger.handledIds.size >= ledger.acknowledgedIds.size, 'every confirmed event to reach the alternate exchange queue');
  } finally {
    await broker.close();
    await consumer.stop();
  }
  expect(ledger.counts()).toMatchObject({ sent: SENDS, acknowledged: SENDS, rejected: 0, handled: SENDS, lost: 0 });
});
