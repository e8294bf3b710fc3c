import { JsonValueDeserializer, isCqrsError, messageFromEvent, silentLogger } from '@cqrs/core';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { createKafkaTopic, IsolatedServices, unique, UserCreatedEvent, waitFor } from '@cqrs/test-fixtures';
import { EventLedger } from './support/ledger';
import { readValues, waitForKafka } from './support/raw-kafka';
import { eventIdOf, pool, sleep, userEvents } from './support/user-events';

jest.setTimeout(240_000);

// The broker of these tests is theirs alone: it is SIGKILLed and restarted mid-stream.
let services: IsolatedServices;
let brokers: string;

beforeAll(async () => {
  services = await IsolatedServices.up('faults-kafka', ['kafka']);
  brokers = services.addresses.kafkaBrokers;
});

afterAll(async () => {
  // Leave the broker running for the next file; a scenario that failed half-way may have left it dead.
  await services.start('kafka');
});

/**
 * SIGKILL the broker, leave it dead for `downMs`, start it again on the same port and data;
 * `beforeStart` runs once the dead broker can no longer acknowledge anything.
 */
async function crashAndRestart(downMs: number, beforeStart: () => void = () => undefined): Promise<void> {
  await services.kill('kafka');
  await sleep(downMs);
  beforeStart();
  await services.start('kafka');
  await waitForKafka(brokers);
}

describe('Kafka broker SIGKILLed and restarted', () => {
  test('during publish: every acknowledged send is on the topic, every failed send is rejected with a typed error', async () => {
    const topic = unique('fault_publish');
    await createKafkaTopic(brokers, topic, 3);
    const ledger = new EventLedger('kafka SIGKILL during publish');
    const producer = new KafkaProducerAdapter({
      bootstrapServers: brokers,
      logger: silentLogger,
      requestTimeoutMs: 5_000,
      connectionRetry: { retries: 4, initialMs: 200, maxMs: 2_000 },
    });
    const broker = new KafkaMessageBroker({ producer });
    const events = userEvents(topic, 600);
    let restarted = false;
    const ackedAfterRestart = new Set<string>();

    const sending = pool(events, 6, async (event) => {
      ledger.sent(event.eventId);
      try {
        await broker.sendMessage(messageFromEvent(event));
        ledger.acknowledged(event.eventId);
        if (restarted) ackedAfterRestart.add(event.eventId);
      } catch (error) {
        ledger.rejected(event.eventId, error);
      }
      await sleep(5);
    });
    await waitFor(() => ledger.acknowledgedIds.size >= 150, 'the first 150 sends to be acknowledged');
    // Flagged before the start, not after the broker answers: the producer may finish every
    // remaining send before the readiness probe sees the broker.
    await crashAndRestart(3_000, () => (restarted = true));
    await sending;
    await broker.close();

    for (const value of await readValues(brokers, topic)) ledger.handled(eventIdOf(value));
    const counts = ledger.counts();
    expect(ledger.unsettledIds()).toEqual([]);
    expect(ledger.lostIds()).toEqual([]);
    expect(counts.acknowledged + counts.rejected).toBe(events.length);
    // The same producer recovered: sends after the restart were acknowledged.
    expect(ackedAfterRestart.size).toBeGreaterThan(0);
    for (const error of ledger.rejectionErrors) expect(isCqrsError(error)).toBe(true);
  });

  test('during consume: every record is handled by the same consumer after the restart, none lost', async () => {
    const topic = unique('fault_consume');
    await createKafkaTopic(brokers, topic, 3);
    const events = userEvents(topic, 600);
    const ledger = new EventLedger('kafka SIGKILL during consume');
    const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: brokers, logger: silentLogger }) });
    await broker.sendMessages(events.map((event) => messageFromEvent(event)));
    await broker.close();
    ledger.published(events);

    const consumer = new KafkaConsumer({
      bootstrapServers: brokers,
      groupId: unique('fault-consume-group'),
      logger: silentLogger,
      maxWaitTimeMs: 200,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 1_000,
    });
    consumer.subscribe({ topics: [topic], valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, async (body) => {
      if (!(body instanceof UserCreatedEvent)) throw new Error('undecodable record');
      ledger.handled(body.eventId);
      // Slow enough that the crash lands mid-stream.
      await sleep(2);
    });
    await consumer.start();
    try {
      await waitFor(() => ledger.handledIds.size >= 150, 'the first 150 records to be handled');
      await crashAndRestart(3_000);
      await waitFor(() => ledger.handledIds.size === events.length, () => `every record handled (have ${ledger.handledIds.size} of ${events.length})`, 120_000);
    } finally {
      await consumer.stop();
    }
    const counts = ledger.counts();
    expect(ledger.lostIds()).toEqual([]);
    expect(counts.handled).toBe(events.length);
  });
});
