import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonValueDeserializer, messageFromEvent, silentLogger } from '@cqrs/core';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { createKafkaTopic, unique, UserCreatedEvent, waitFor } from '@cqrs/test-fixtures';
import { bundleFixture, sigkill, spawnReporting, type ReportingChild } from './support/child-process';
import { EventLedger } from './support/ledger';
import { userEvents } from './support/user-events';

jest.setTimeout(180_000);

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
let dir: string;
let child: ReportingChild | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fault-consumer-'));
});

afterAll(async () => {
  if (child) await sigkill(child.process);
  rmSync(dir, { recursive: true, force: true });
});

test('a consumer SIGKILLed while handling several partitions at once: the group handles every record after it, none lost', async () => {
  const topic = unique('fault_consumer_kill');
  const groupId = unique('fault-consumer-kill-group');
  await createKafkaTopic(brokers, topic, 6);
  const events = userEvents(topic, 900, 40);
  const ledger = new EventLedger('consumer SIGKILL with 6 partitions, 4 handled at once');
  const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: brokers, logger: silentLogger }) });
  await broker.sendMessages(events.map((event) => messageFromEvent(event)));
  await broker.close();
  ledger.published(events);

  child = spawnReporting(bundleFixture('concurrent-consumer', dir), [topic, groupId, brokers]);
  const reporting = child;
  await waitFor(() => reporting.handled.length >= 300, () => `the child to handle 300 records (has ${reporting.handled.length}; stderr: ${reporting.stderr()})`, 60_000);
  await sigkill(reporting.process);
  for (const id of reporting.handled) ledger.handled(id);

  const consumer = new KafkaConsumer({ bootstrapServers: brokers, groupId, logger: silentLogger, maxWaitTimeMs: 200, partitionsConsumedConcurrently: 4 });
  consumer.subscribe({ topics: [topic], valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, (body) => {
    if (!(body instanceof UserCreatedEvent)) throw new Error('unexpected record');
    ledger.handled(body.eventId);
  });
  await consumer.start();
  try {
    await waitFor(() => ledger.lostIds().length === 0, () => `every record handled (${ledger.lostIds().length} missing)`, 90_000);
  } finally {
    await consumer.stop();
  }
  const counts = ledger.counts();
  expect(counts.lost).toBe(0);
  expect(counts.handled).toBe(events.length);
});
