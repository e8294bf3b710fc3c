// Twin of python-cqrs's examples/kafka_outboxed_event_producing.py: three events wait in the
// outbox, and the relay [EventProducer] reads them in batches, publishes them to Kafka and marks
// them published in the same transaction. Without KAFKA_BROKERS it publishes to the in-memory
// broker. Here the relay runs until the outbox is drained; a service runs `relay.start()` and
// stops it on SIGTERM.
//
//   bash scripts/services up postgres kafka && eval "$(bash scripts/services env)"
//   node dist/outbox/kafka-outboxed-event-producing.js
import { InMemoryMessageBroker, NotificationEvent, encodedValueSerializer, messageFromEvent, type MessageBroker } from '@cqrs/core';
import { KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { OutboxRelay, PgOutbox, PgUnitOfWork, migrate, outboxMetrics } from '@cqrs/postgres';
import { poolOf, type OutboxExampleOptions } from './settings';

/** [NotificationEvent[typing.Dict]] */
class EmptyEvent extends NotificationEvent<Record<string, never>> {}

export async function main(options: OutboxExampleOptions = {}): Promise<string[]> {
  const schema = options.schema ?? 'examples_outbox';
  const topic = options.topic ?? 'empty_topic';
  const brokers = 'brokers' in options ? options.brokers : process.env.KAFKA_BROKERS || undefined;
  const pool = poolOf(options);
  // The relay publishes the stored bytes as they are: its producer passes them through.
  const broker: MessageBroker =
    brokers === undefined
      ? new InMemoryMessageBroker({ valueSerializer: encodedValueSerializer() })
      : new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: brokers }), valueSerializer: encodedValueSerializer() });
  try {
    await migrate(pool, { schema });
    // Three events in the outbox [repository.add(...)], committed in one transaction.
    const unitOfWork = new PgUnitOfWork({ pool });
    const outbox = new PgOutbox({ transaction: unitOfWork.transaction, schema });
    const events = [1, 2, 3].map(() => new EmptyEvent({ eventName: 'empty_event', topic, payload: {} }));
    await unitOfWork.run(() => outbox.save(events.map((event) => messageFromEvent(event))));

    // The relay [EventProducer(message_broker=broker, repository=repository)], batch by batch.
    const relay = new OutboxRelay({ pool, broker, schema, batchSize: 100 });
    for (let published = await relay.runOnce(); published > 0; published = await relay.runOnce()) {
      console.log(`published a batch of ${published} events to ${brokers === undefined ? 'the in-memory broker' : `Kafka at ${brokers}`}`);
    }
    const metrics = await outboxMetrics(pool, { schema });
    console.log(`outbox backlog ${metrics.backlog}, parked ${metrics.parked}`);
    return events.map((event) => event.eventId);
  } finally {
    await broker.close?.();
    await pool.end();
  }
}

if (require.main === module) void main();
