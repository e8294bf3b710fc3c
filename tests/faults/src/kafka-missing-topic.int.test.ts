import { JsonValueDeserializer, SubscriptionError, messageFromEvent, silentLogger } from '@cqrs/core';
import { KafkaConsumer, KafkaMessageBroker, KafkaMissingTopicError, KafkaProducerAdapter } from '@cqrs/kafka';
import { createKafkaTopic, unique, UserCreatedEvent, waitFor } from '@cqrs/test-fixtures';
import { EventLedger } from './support/ledger';
import { rawKafka } from './support/raw-kafka';
import { sleep, userEvents } from './support/user-events';

jest.setTimeout(120_000);

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

test('a consumer started before its topic exists waits for it, then handles what is published to it', async () => {
  const topic = unique('fault_missing_topic');
  const ledger = new EventLedger('consumer started before its topic exists');
  const consumer = new KafkaConsumer({ bootstrapServers: brokers, groupId: unique('fault-missing-group'), logger: silentLogger, maxWaitTimeMs: 200 });
  consumer.subscribe({ topics: [topic], valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, (body) => {
    if (body instanceof UserCreatedEvent) ledger.handled(body.eventId);
  });
  const starting = consumer.start();
  try {
    await sleep(2_000);
    await createKafkaTopic(brokers, topic, 3);
    await starting;
    const events = userEvents(topic, 50);
    const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: brokers, logger: silentLogger }) });
    await broker.sendMessages(events.map((event) => messageFromEvent(event)));
    await broker.close();
    ledger.published(events);
    await waitFor(() => ledger.lostIds().length === 0, () => `every record handled (${ledger.lostIds().length} missing)`);
  } finally {
    await starting.catch(() => undefined);
    await consumer.stop();
  }
  expect(ledger.counts()).toMatchObject({ handled: 50, lost: 0 });
});

test('a topic that never appears makes start() reject, after startTimeoutMs, with a SubscriptionError naming it', async () => {
  const topic = unique('fault_never_topic');
  const consumer = new KafkaConsumer({ bootstrapServers: brokers, groupId: unique('fault-never-group'), logger: silentLogger, startTimeoutMs: 1_500 });
  consumer.subscribe({ topics: [topic], valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, () => undefined);
  const error: unknown = await consumer.start().then(
    () => undefined,
    (e: unknown) => e,
  );
  await consumer.stop();
  expect(error).toBeInstanceOf(KafkaMissingTopicError);
  expect(error).toBeInstanceOf(SubscriptionError);
  expect((error as KafkaMissingTopicError).topics).toEqual([topic]);
  expect((error as Error).message).toContain(topic);
  expect(consumer.state).toBe('stopped');
});

test('createTopics creates a missing topic with the partitions asked for, and the consumer handles what is published to it', async () => {
  const topic = unique('fault_created_topic');
  const ledger = new EventLedger('consumer creating its missing topic');
  const consumer = new KafkaConsumer({
    bootstrapServers: brokers,
    groupId: unique('fault-create-group'),
    logger: silentLogger,
    maxWaitTimeMs: 200,
    createTopics: { partitions: 3, replicationFactor: 1 },
  });
  consumer.subscribe({ topics: [topic], valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, (body) => {
    if (body instanceof UserCreatedEvent) ledger.handled(body.eventId);
  });
  await consumer.start();
  try {
    const admin = rawKafka(brokers).admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] }).finally(() => admin.disconnect());
    expect(metadata.topics[0]?.partitions).toHaveLength(3);
    const events = userEvents(topic, 30);
    const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: brokers, logger: silentLogger }) });
    await broker.sendMessages(events.map((event) => messageFromEvent(event)));
    await broker.close();
    ledger.published(events);
    await waitFor(() => ledger.lostIds().length === 0, () => `every record handled (${ledger.lostIds().length} missing)`);
  } finally {
    await consumer.stop();
  }
  expect(ledger.counts()).toMatchObject({ handled: 30, lost: 0 });
});
