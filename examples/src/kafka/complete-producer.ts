// Twin of the reference's "Complete Producer Example", self-contained as there: the payload
// model, the event with proto(), a KafkaProducerAdapter, and one event published through a
// KafkaMessageBroker with the Protobuf serializer (the broker owns it; the adapter sends bytes).
//
//   KAFKA_BROKERS=127.0.0.1:9092 KAFKA_SCHEMA_REGISTRY_URL=http://127.0.0.1:8085/apis/ccompat/v7 node dist/kafka/complete-producer.js
//
// Without KAFKA_BROKERS it publishes to core's in-memory broker and in-memory registry.
import 'reflect-metadata';
import { create } from '@bufbuild/protobuf';
import { NotificationEvent, formatTimestamp, messageFromEvent, type MessageBroker } from '@cqrs/core';
import { UserCreatedSchema, type UserCreated as UserCreatedProtobuf } from '@cqrs/example-protos';
import { KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import type { ProtoEvent } from '@cqrs/protobuf';
import { z } from 'zod';
import { inMemoryBroker, serializerOf, settingsOf, type KafkaExampleOptions } from './settings';

// Event payload.
const UserCreatedPayload = z.object({ userId: z.string(), email: z.string(), name: z.string() });

// Event with Protobuf support.
class UserCreatedEvent extends NotificationEvent<z.infer<typeof UserCreatedPayload>> implements ProtoEvent<typeof UserCreatedSchema> {
  static override readonly payloadSchema = UserCreatedPayload;
  static readonly protoSchema = UserCreatedSchema;

  proto(): UserCreatedProtobuf {
    return create(UserCreatedSchema, {
      eventId: this.eventId,
      eventTimestamp: formatTimestamp(this.eventTimestamp),
      eventName: this.eventName,
      payload: { userId: this.payload.userId, email: this.payload.email, name: this.payload.name },
    });
  }
}

/** [produce_protobuf_event()]: publishes one event; resolves with its id. */
export async function main(options: KafkaExampleOptions = {}): Promise<string> {
  const settings = settingsOf(options);
  // Create event.
  const event = new UserCreatedEvent({
    eventName: 'user_created',
    topic: settings.topic,
    key: '123',
    payload: { userId: '123', email: 'user@example.com', name: 'John Doe' },
  });

  // Create Kafka producer with Protobuf serializer, then the message broker.
  const broker: MessageBroker =
    settings.brokers === undefined
      ? inMemoryBroker()
      : new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: settings.brokers }), valueSerializer: serializerOf(settings) });

  // Publish event.
  try {
    await broker.sendMessage(messageFromEvent(event));
  } finally {
    await broker.close?.();
  }
  console.log(`published ${event.eventName} ${event.eventId} to ${event.topic}`);
  return event.eventId;
}

if (require.main === module) void main();
