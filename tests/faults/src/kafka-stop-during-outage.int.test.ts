import { JsonValueDeserializer, messageFromEvent, silentLogger } from '@cqrs/core';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { createKafkaTopic, IsolatedServices, unique, UserCreatedEvent, waitFor } from '@cqrs/test-fixtures';
import { EventLedger } from './support/ledger';
import { rawKafka, waitForKafka } from './support/raw-kafka';
import { sleep, userEvents } from './support/user-events';

jest.setTimeout(240_000);

let services: IsolatedServices;
let brokers: string;

beforeAll(async () => {
  services = await IsolatedServices.up('faults-kafka', ['kafka']);
  brokers = services.addresses.kafkaBrokers;
});

afterAll(async () => {
  await services.start('kafka');
});

async function groupMembers(groupId: string): Promise<number> {
  const admin = rawKafka(brokers).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]?.members.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}

test('stop() during a broker outage leaves the group for good: once Kafka is back, a new member gets every partition', async () => {
  const topic = unique('fault_stop_outage');
  const groupId = unique('fault-stop-group');
  await createKafkaTopic(brokers, topic, 3);
  const ledger = new EventLedger('kafka stop() during an outage, then a new member');
  const deserializer = new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent });
  const byFirst = new Set<string>();
  const first = new KafkaConsumer({
    bootstrapServers: brokers,
    groupId,
    logger: silentLogger,
    maxWaitTimeMs: 200,
    sessionTimeoutMs: 8_000,
    heartbeatIntervalMs: 1_000,
  });
  first.subscribe({ topics: [topic], valueDeserializer: deserializer }, (body) => {
    if (body instanceof UserCreatedEvent) byFirst.add(body.eventId);
  });
  const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: brokers, logger: silentLogger }) });
  try {
    const before = userEvents(topic, 30);
    await broker.sendMessages(before.map((event) => messageFromEvent(event)));
    await first.start();
    await waitFor(() => byFirst.size === before.length, 'the first member to handle the first records');

    await services.kill('kafka');
    // stop() after the client gave up and scheduled its own restart: the case that left a zombie.
    // stop() while the client is retrying its connection: the case that left a zombie member
    // whose own scheduled restart rejoined the group once Kafka was back.
    await sleep(3_000);
    await first.stop();
    await services.start('kafka');
    await waitForKafka(brokers);
    // Long enough for a zombie member's own restart (kafkajs waits about 10 s) to rejoin.
    await sleep(15_000);
    const handledByFirstBefore = byFirst.size;

    const second = new KafkaConsumer({ bootstrapServers: brokers, groupId, logger: silentLogger, maxWaitTimeMs: 200, sessionTimeoutMs: 8_000, heartbeatIntervalMs: 1_000 });
    second.subscribe({ topics: [topic], valueDeserializer: deserializer }, (body) => {
      if (body instanceof UserCreatedEvent) ledger.handled(body.eventId);
    });
    await second.start();
    try {
      const after = userEvents(topic, 90);
      ledger.published(after);
      await broker.sendMessages(after.map((event) => messageFromEvent(event)));
      await waitFor(() => after.every((event) => ledger.handledIds.has(event.eventId)), () => `the new member to handle all 90 new records on 3 partitions (has ${after.filter((e) => ledger.handledIds.has(e.eventId)).length})`, 60_000);
      expect(await groupMembers(groupId)).toBe(1);
    } finally {
      await second.stop();
    }
    // The stopped member handled nothing after stop().
    expect(byFirst.size).toBe(handledByFirstBefore);
    expect(ledger.counts()).toMatchObject({ handled: 90, lost: 0 });
  } finally {
    await broker.close();
  }
});
