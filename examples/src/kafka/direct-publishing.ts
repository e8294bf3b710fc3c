// Twin of the reference's "Direct Event Publishing": build an event and publish it through a
// KafkaMessageBroker as a `Message`, without a mediator.
//
//   KAFKA_BROKERS=127.0.0.1:9092 KAFKA_SCHEMA_REGISTRY_URL=http://127.0.0.1:8085/apis/ccompat/v7 node dist/kafka/direct-publishing.js
import 'reflect-metadata';
import type { Message, MessageBroker } from '@cqrs/core';
import { KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { UserCreatedProtoEvent } from '../protobuf/events';
import { inMemoryBroker, serializerOf, settingsOf, type KafkaExampleOptions } from './settings';

/** Publishes one event directly [produce_protobuf_event()]; resolves with its id. */
export async function main(options: KafkaExampleOptions = {}): Promise<string> {
  const settings = settingsOf(options);
  // Create event.
  const event = new UserCreatedProtoEvent({
    eventName: 'user_created',
    topic: settings.topic,
    payload: { userId: '123', email: 'user@example.com', name: 'John Doe' },
  });

  // Create Kafka producer with Protobuf serializer, and the message broker.
  const broker: MessageBroker =
    settings.brokers === undefined
      ? inMemoryBroker()
      : new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: settings.brokers }), valueSerializer: serializerOf(settings) });

  // Publish event [broker.send_message(message=Message(...))].
  const message: Message<UserCreatedProtoEvent> = {
    messageName: event.eventName,
    messageId: event.eventId,
    topic: event.topic,
    payload: event,
  };
  try {
    await broker.sendMessage(message);
  } finally {
    await broker.close?.();
  }
  console.log(`published ${event.eventName} ${event.eventId} to ${event.topic}`);
  return event.eventId;
}

if (require.main === module) void main();
