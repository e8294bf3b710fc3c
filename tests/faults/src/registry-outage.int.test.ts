import { isCqrsError, messageFromEvent, silentLogger } from '@cqrs/core';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { ProtobufValueDeserializer, ProtobufValueSerializer } from '@cqrs/protobuf';
import { createKafkaTopic, FaultProxy, unique, UserCreatedEvent, waitFor } from '@cqrs/test-fixtures';
import { EventLedger } from './support/ledger';
import { rawKafka, readValues, recordCount } from './support/raw-kafka';
import { eventIdOfFramed, sleep, userEvents } from './support/user-events';

jest.setTimeout(180_000);

// Only the registry fails here, behind a proxy of the test's own; Kafka is the shared broker.
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const registryUrl = new URL(process.env.KAFKA_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8085/apis/ccompat/v7');
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await FaultProxy.start({ host: registryUrl.hostname, port: Number(registryUrl.port) });
});

afterAll(async () => {
  await proxy.stop();
});

/** Registry settings through the proxy, with a short timeout so a black-holed request fails soon. */
function registry(): { url: string; timeoutMs: number; maxRetries: number; retryDelayMs: number } {
  return { url: `http://${proxy.address}${registryUrl.pathname}`, timeoutMs: 1_000, maxRetries: 1, retryDelayMs: 100 };
}

function protobufBroker(): KafkaMessageBroker {
  const producer = new KafkaProducerAdapter({ bootstrapServers: brokers, logger: silentLogger });
  return new KafkaMessageBroker({ producer, valueSerializer: new ProtobufValueSerializer({ registry: registry() }) });
}

async function dlqCount(topic: string): Promise<number> {
  const admin = rawKafka(brokers).admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(`${topic}.dlq`)) return 0;
  } finally {
    await admin.disconnect();
  }
  return recordCount(brokers, `${topic}.dlq`);
}

async function send(broker: KafkaMessageBroker, events: readonly UserCreatedEvent[], ledger: EventLedger): Promise<void> {
  for (const event of events) {
    ledger.sent(event.eventId);
    await broker.sendMessage(messageFromEvent(event)).then(
      () => ledger.acknowledged(event.eventId),
      (error: unknown) => ledger.rejected(event.eventId, error),
    );
  }
}

describe('the schema registry fails on the producer side', () => {
  afterEach(async () => {
    await proxy.set('forward');
  });

  test.each(['refuse', 'blackhole'] as const)('%s before the first send: sends are rejected with a typed error, nothing is published, and the same producer recovers', async (mode) => {
    const topic = unique(`fault_registry_${mode}`);
    await createKafkaTopic(brokers, topic, 1);
    const ledger = new EventLedger(`registry ${mode} on the producer side, cold`);
    const broker = protobufBroker();
    try {
      await proxy.set(mode);
      const during = userEvents(topic, 5);
      await send(broker, during, ledger);
      expect(during.every((event) => !ledger.acknowledgedIds.has(event.eventId))).toBe(true);
      for (const error of ledger.rejectionErrors) expect(isCqrsError(error) && error.retriable).toBe(true);
      expect(await recordCount(brokers, topic)).toBe(0);

      await proxy.set('forward');
      const after = userEvents(topic, 5);
      await send(broker, after, ledger);
      expect(after.every((event) => ledger.acknowledgedIds.has(event.eventId))).toBe(true);
    } finally {
      await broker.close();
    }
    for (const value of await readValues(brokers, topic)) ledger.handled(eventIdOfFramed(value));
    expect(ledger.counts()).toMatchObject({ acknowledged: 5, rejected: 5, handled: 5, lost: 0 });
  });

  test('down after warm-up: the cached schema id serves every send', async () => {
    const topic = unique('fault_registry_warm');
    await createKafkaTopic(brokers, topic, 1);
    const ledger = new EventLedger('registry down after warm-up, producer side');
    const broker = protobufBroker();
    try {
      await send(broker, userEvents(topic, 1), ledger);
      await proxy.set('refuse');
      await send(broker, userEvents(topic, 50), ledger);
    } finally {
      await broker.close();
    }
    for (const value of await readValues(brokers, topic)) ledger.handled(eventIdOfFramed(value));
    expect(ledger.counts()).toMatchObject({ sent: 51, acknowledged: 51, rejected: 0, handled: 51, lost: 0 });
  });
});

describe('the schema registry fails on the consumer side', () => {
  afterEach(async () => {
    await proxy.set('forward');
  });

  async function consume(topic: string, ledger: EventLedger, during: () => Promise<void>, count: number): Promise<void> {
    const consumer = new KafkaConsumer({ bootstrapServers: brokers, groupId: unique('fault-registry-group'), logger: silentLogger, maxWaitTimeMs: 200 });
    consumer.subscribe({ topics: [topic], valueDeserializer: new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedEvent.protoSchema, registry: registry() }) }, async (body, msg) => {
      // A decode error goes back with its cause: transient (registry down) is retried, not dead-lettered.
      if (!(body instanceof UserCreatedEvent)) return msg.nack(body);
      ledger.handled(body.eventId);
    });
    await consumer.start();
    try {
      await during();
      await waitFor(() => ledger.handledIds.size === count, () => `${count} records handled (have ${ledger.handledIds.size})`, 60_000);
    } finally {
      await consumer.stop();
    }
  }

  test('down after warm-up: records keep being decoded from the cached schema', async () => {
    const topic = unique('fault_registry_consumer_warm');
    await createKafkaTopic(brokers, topic, 1);
    const ledger = new EventLedger('registry down after warm-up, consumer side');
    const broker = protobufBroker();
    const events = userEvents(topic, 100);
    try {
      await send(broker, events.slice(0, 1), ledger);
      await consume(topic, ledger, async () => {
        await waitFor(() => ledger.handledIds.size === 1, 'the first record to warm the cache');
        await proxy.set('refuse');
        await send(broker, events.slice(1), ledger);
      }, events.length);
    } finally {
      await broker.close();
    }
    expect(ledger.counts()).toMatchObject({ acknowledged: 100, handled: 100, lost: 0 });
    expect(await dlqCount(topic)).toBe(0);
  });

  test.each(['refuse', 'blackhole'] as const)('%s while the cache is cold: records wait and are retried, none dead-lettered, all handled when it returns', async (mode) => {
    const topic = unique(`fault_registry_consumer_${mode}`);
    await createKafkaTopic(brokers, topic, 2);
    const ledger = new EventLedger(`registry ${mode} on the consumer side, cold`);
    const broker = protobufBroker();
    const events = userEvents(topic, 60);
    try {
      await send(broker, events, ledger);
    } finally {
      await broker.close();
    }
    await proxy.set(mode);
    await consume(topic, ledger, async () => {
      // Long enough for several decode attempts to fail against the dead registry.
      await sleep(8_000);
      expect(ledger.handledIds.size).toBe(0);
      await proxy.set('forward');
    }, events.length);
    expect(ledger.counts()).toMatchObject({ acknowledged: 60, handled: 60, lost: 0 });
    expect(await dlqCount(topic)).toBe(0);
  });
});
