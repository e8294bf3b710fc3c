// Twin of the reference's "Kafka Consumer with Protobuf Deserialization": a KafkaConsumer in
// group `protobuf-consumers` with manual commits from the earliest offset, a Protobuf value
// deserializer, and a handler that nacks bad bytes and hands events to an EventMediator.
//
//   KAFKA_BROKERS=127.0.0.1:9092 KAFKA_SCHEMA_REGISTRY_URL=http://127.0.0.1:8085/apis/ccompat/v7 node dist/kafka/protobuf-consumer.js
//
// Runs until SIGTERM or Ctrl-C. Without KAFKA_BROKERS it reads core's in-memory broker
// (publishing a sample event first when the topic is empty) and exits.
import 'reflect-metadata';
import { bootstrapEvents, type ConsumedMessage, type Decoded, type EventMediator } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { DeserializeProtobufError, ProtobufValueDeserializer } from '@cqrs/protobuf';
import { UserCreatedProtoEvent } from '../protobuf/events';
import type { UserCreatedEvent } from '../shared/user-created';
import { UserCreatedEventHandler } from '../shared/users';
import { main as produce } from './protobuf-producer';
import { inMemoryBroker, registryOf, settingsOf, type KafkaExampleOptions } from './settings';
import { serve } from './subscriber';

let mediator: EventMediator | undefined;

/** [mediator_factory]: one EventMediator for the process. */
function mediatorFactory(): EventMediator {
  mediator ??= bootstrapEvents({ eventsMapper: (mapper) => mapper.bind(UserCreatedProtoEvent, UserCreatedEventHandler) });
  return mediator;
}

/** [handle_user_event] */
async function handleUserEvent(body: Decoded<UserCreatedProtoEvent>, msg: ConsumedMessage): Promise<void> {
  // Handle deserialization errors.
  if (body instanceof DeserializeProtobufError) {
    console.log(`Protobuf deserialization error: ${body.errorMessage}`);
    await msg.nack();
    return;
  }
  // An empty message carries nothing to handle.
  if (body === null) {
    await msg.ack();
    return;
  }
  // Process valid event.
  await mediatorFactory().send(body);
  await msg.ack();
}

/** Consumes UserCreatedEvents; resolves with the events handled once stopped. */
export async function main(options: KafkaExampleOptions = {}): Promise<UserCreatedEvent[]> {
  const settings = settingsOf(options);
  if (settings.brokers === undefined && inMemoryBroker().records(settings.topic).length === 0) await produce(options);
  const first = UserCreatedEventHandler.seen.length;
  const registry = registryOf(settings);
  await serve(
    {
      groupId: 'protobuf-consumers',
      fromBeginning: true, // [auto_offset_reset="earliest"]; commits are always manual [auto_commit=False]
      subscription: {
        topics: [settings.topic],
        valueDeserializer: new ProtobufValueDeserializer<typeof UserCreatedSchema, UserCreatedProtoEvent>({ model: UserCreatedProtoEvent, protobufModel: UserCreatedSchema, ...(registry === undefined ? {} : { registry }) }),
      },
      handler: handleUserEvent,
    },
    settings,
    () => UserCreatedEventHandler.seen.length - first,
  );
  return UserCreatedEventHandler.seen.slice(first);
}

if (require.main === module) void main();
