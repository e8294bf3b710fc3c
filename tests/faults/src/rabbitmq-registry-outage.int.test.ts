import { messageFromEvent, retryPolicy, silentLogger } from '@cqrs/core';
import { ProtobufValueDeserializer, ProtobufValueSerializer } from '@cqrs/protobuf';
import { AMQPConsumer, AMQPMessageBroker, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { FaultProxy, IsolatedServices, UserCreatedEvent, unique, waitFor } from '@cqrs/test-fixtures';
import * as amqplib from 'amqplib';
import { EventLedger } from './support/ledger';
import { sleep, userEvents } from './support/user-events';

jest.setTimeout(180_000);

// The registry fails behind a proxy of the test's own, while RabbitMQ consumers retry through
// their delay queues: a retry past maxAttempts must wait, not vanish.
const registryUrl = new URL(process.env.KAFKA_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8085/apis/ccompat/v7');
let proxy: FaultProxy;
let url: string;

beforeAll(async () => {
  proxy = await FaultProxy.start({ host: registryUrl.hostname, port: Number(registryUrl.port) });
  url = (await IsolatedServices.up('faults-rabbitmq', ['rabbitmq'])).addresses.amqpUrl;
});

afterAll(async () => {
  await proxy.stop();
});

function registry(): { url: string; timeoutMs: number; maxRetries: number; retryDelayMs: number } {
  return { url: `http://${proxy.address}${registryUrl.pathname}`, timeoutMs: 1_000, maxRetries: 1, retryDelayMs: 100 };
}

async function messagesIn(queue: string): Promise<number> {
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await connection.close();
  }
}

test.each(['refuse', 'blackhole'] as const)('registry %s while the cache is cold: RabbitMQ retries every record past maxAttempts, dead-letters none, handles all when it returns', async (mode) => {
  const exchangeName = unique('fault-registry-exchange');
  const queue = unique('fault-registry-q');
  const ledger = new EventLedger(`registry ${mode} on the RabbitMQ consumer side, cold`);
  // Three attempts, 300 ms apart: the outage below outlasts them many times over.
  const consumerOf = (): AMQPConsumer =>
    new AMQPConsumer({ url, exchangeName, logger: silentLogger, retry: retryPolicy({ maxAttempts: 3, backoff: () => 300 }) }).subscribe(
      { topics: ['users'], queue, valueDeserializer: new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedEvent.protoSchema, registry: registry() }) },
      async (body, msg) => {
        if (!(body instanceof UserCreatedEvent)) return msg.nack(body);
        ledger.handled(body.eventId);
      },
    );
  const broker = new AMQPMessageBroker({ publisher: new AMQPPublisherAdapter({ url, logger: silentLogger }), exchangeName, valueSerializer: new ProtobufValueSerializer({ registry: registry() }) });
  const events = userEvents('users', 40);
  // A first consumer declares and binds the queue, and stops before anything arrives.
  const declaring = consumerOf();
  await declaring.start();
  await declaring.stop();
  const consumer = consumerOf();
  try {
    for (const event of events) {
      ledger.sent(event.eventId);
      await broker.sendMessage(messageFromEvent(event)).then(
        () => ledger.acknowledged(event.eventId),
        (error: unknown) => ledger.rejected(event.eventId, error),
      );
    }
    // This consumer never saw the schema: it must ask the registry, which is gone.
    await proxy.set(mode);
    await consumer.start();
    await sleep(8_000);
    expect(ledger.handledIds.size).toBe(0);
    await proxy.set('forward');
    await waitFor(() => ledger.handledIds.size === events.length, () => `${events.length} records handled (have ${ledger.handledIds.size})`, 60_000);
  } finally {
    await proxy.set('forward');
    await consumer.stop();
    await broker.close();
  }
  expect(ledger.counts()).toMatchObject({ acknowledged: 40, handled: 40, lost: 0 });
  expect(await messagesIn(`${queue}.dlq`)).toBe(0);
});
