import { JsonValueDeserializer, isCqrsError, isDeserializeError, messageFromEvent, silentLogger } from '@cqrs/core';
import { AMQPConsumer, AMQPMessageBroker, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { IsolatedServices, UserCreatedEvent, unique, waitFor } from '@cqrs/test-fixtures';
import { EventLedger } from './support/ledger';
import { pool, sleep, userEvents } from './support/user-events';

jest.setTimeout(300_000);

// The RabbitMQ node of these tests is theirs alone: it is SIGKILLed and stopped mid-stream.
let services: IsolatedServices;
let url: string;

beforeAll(async () => {
  services = await IsolatedServices.up('faults-rabbitmq', ['rabbitmq']);
  url = services.addresses.amqpUrl;
});

afterAll(async () => {
  await services.rabbitmqctl('start_app').catch(() => undefined);
  await services.start('rabbitmq');
});

// Shorter than every outage below, so sends during an outage time out and are rejected.
const PUBLISH_TIMEOUT_MS = 3_000;
const OUTAGE_MS = 6_000;

type Outage = { name: string; cause: () => Promise<void>; end: () => Promise<void> };

const outages: Outage[] = [
  {
    name: 'kill -9 of the node',
    cause: () => services.kill('rabbitmq'),
    end: () => services.start('rabbitmq'),
  },
  {
    name: 'rabbitmqctl stop_app',
    cause: async () => void (await services.rabbitmqctl('stop_app')),
    end: async () => void (await services.rabbitmqctl('start_app')),
  },
];

describe.each(outages)('RabbitMQ $name mid-publish and mid-consume', ({ name, cause, end }) => {
  test('every confirmed send is handled, every other send rejected with a typed error, both sides recover without a restart', async () => {
    const exchangeName = unique('fault-exchange');
    const queue = unique('fault-q');
    const ledger = new EventLedger(`rabbitmq ${name} mid-publish and mid-consume`);
    const backoff = { connectionRetry: () => 200 };
    const publisher = new AMQPPublisherAdapter({ url, logger: silentLogger, publishTimeoutMs: PUBLISH_TIMEOUT_MS, ...backoff });
    const broker = new AMQPMessageBroker({ publisher, exchangeName });
    const consumer = new AMQPConsumer({ url, exchangeName, logger: silentLogger, prefetch: 16, ...backoff }).subscribe(
      { topics: ['users'], queue, valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) },
      async (body, msg) => {
        if (isDeserializeError(body) || body === null) return msg.nack();
        ledger.handled(body.eventId);
        await sleep(1);
      },
    );
    const events = userEvents('users', 800);
    // The second half is sent only once the outage began, so sends meet it however fast the first half went.
    const afterOutageBegan = new Set(events.slice(events.length / 2).map((event) => event.eventId));
    let outageBegan!: () => void;
    const outage = new Promise<void>((resolve) => (outageBegan = resolve));
    let recovered = false;
    const confirmedAfterRecovery = new Set<string>();
    try {
      // The queue is declared and bound before the first publish.
      await consumer.start();
      const sending = pool(events, 4, async (event) => {
        if (afterOutageBegan.has(event.eventId)) await outage;
        ledger.sent(event.eventId);
        try {
          await broker.sendMessage(messageFromEvent(event));
          ledger.acknowledged(event.eventId);
          if (recovered) confirmedAfterRecovery.add(event.eventId);
        } catch (error) {
          ledger.rejected(event.eventId, error);
        }
        await sleep(10);
      });
      await waitFor(() => ledger.handledIds.size >= 100, 'the first 100 events to be handled');
      await cause();
      outageBegan();
      await sleep(OUTAGE_MS);
      await end();
      recovered = true;
      await sending;
      await waitFor(() => ledger.lostIds().length === 0, () => `every confirmed event handled (${ledger.lostIds().length} missing)`, 90_000);
    } finally {
      await consumer.stop();
      await broker.close();
    }
    const counts = ledger.counts();
    expect(ledger.unsettledIds()).toEqual([]);
    expect(ledger.lostIds()).toEqual([]);
    expect(counts.acknowledged + counts.rejected).toBe(events.length);
    // The outage outlasted the publish timeout: some sends were rejected, each with a typed error.
    expect(counts.rejected).toBeGreaterThan(0);
    for (const error of ledger.rejectionErrors) expect(isCqrsError(error)).toBe(true);
    // The same publisher and consumer recovered on their own.
    expect(confirmedAfterRecovery.size).toBeGreaterThan(0);
    expect([...confirmedAfterRecovery].every((id) => ledger.handledIds.has(id))).toBe(true);
  });
});
