// The real Kafka and registry of scripts/services, and our own producer and consumer on them.
import { isDeserializeError, messageFromEvent, type NotificationEvent, type ValueDeserializer, type ValueSerializer } from '@cqrs/core';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter, type KafkaConsumedMessage } from '@cqrs/kafka';
import { createKafkaTopic, unique, waitFor } from '@cqrs/test-fixtures';

const env = (name: string, fallback: string): string => process.env[name]?.trim() || fallback;

/** Where the services are: `scripts/services env` names, loopback defaults. */
export const services = {
  brokers: env('KAFKA_BROKERS', '127.0.0.1:9092'),
  registryUrl: env('KAFKA_SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8085/apis/ccompat/v7'),
};

/** Creates `topic` with one partition, so order is the send order. */
export function createTopic(topic: string): Promise<void> {
  return createKafkaTopic(services.brokers, topic, 1);
}

/** Publishes `events` through our `KafkaMessageBroker` with `serializer`. */
export async function publish(events: readonly NotificationEvent<unknown>[], serializer: ValueSerializer): Promise<void> {
  const producer = new KafkaProducerAdapter({ bootstrapServers: services.brokers, logLevel: 'error' });
  const broker = new KafkaMessageBroker({ producer, valueSerializer: serializer });
  try {
    for (const event of events) await broker.sendMessage(messageFromEvent(event));
  } finally {
    await producer.close();
  }
}

/** What our consumer handed the handler. */
export interface Consumed<E> {
  readonly body: E;
  readonly message: KafkaConsumedMessage;
}

/** Reads `count` values of `topic` from the start with our `KafkaConsumer`; a decode error fails the test. */
export async function consume<E>(topic: string, deserializer: ValueDeserializer<E>, count: number): Promise<Consumed<E>[]> {
  const consumer = new KafkaConsumer({ bootstrapServers: services.brokers, logLevel: 'error', groupId: unique('interop'), fromBeginning: true, maxWaitTimeMs: 200 });
  const consumed: Consumed<E>[] = [];
  const errors: string[] = [];
  consumer.subscribe({ topics: [topic], valueDeserializer: deserializer }, async (body, message) => {
    if (isDeserializeError(body)) errors.push(`${body.errorType}: ${body.errorMessage}`);
    else if (body !== null) consumed.push({ body, message });
    await message.ack();
  });
  await consumer.start();
  try {
    await waitFor(() => consumed.length + errors.length >= count, () => `${count} messages on ${topic}, got ${consumed.length} and errors ${JSON.stringify(errors)}`);
  } finally {
    await consumer.stop();
  }
  expect(errors).toEqual([]);
  return consumed;
}
