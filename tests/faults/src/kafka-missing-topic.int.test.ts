import { JsonValueDeserializer, messageFromEvent, silentLogger } from '@cqrs/core';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { UserCreatedEvent, unique, waitFor } from '@cqrs/test-fixtures';
import { EventLedger } from './support/ledger';
import { createTopic } from './support/raw-kafka';
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
    await createTopic(brokers, topic, 3);
    await starting;
    const events = userEvents(topic, 50);
    const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: brokers, logger: silentLogger }) });
    await broker.sendMessages(events.map((event) => messageFromEvent(event)));
    await broker.close();
    for (const event of events) {
      ledger.sent(event.eventId);
      ledger.acknowledged(event.eventId);
    }
    await waitFor(() => ledger.lostIds().length === 0, () => `every record handled (${ledger.lostIds().length} missing)`);
  } finally {
    await starting.catch(() => undefined);
    await consumer.stop();
  }
  expect(ledger.counts()).toMatchObject({ handled: 50, lost: 0 });
});
