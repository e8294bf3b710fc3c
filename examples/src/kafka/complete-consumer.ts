// Twin of the reference's "Complete Consumer Example", self-contained as there: the payload
// model, the event, its handler, a cached EventMediator factory, and a KafkaConsumer in group
// `protobuf-service` (manual commits, earliest offset, Protobuf deserializer) that runs like
// `app.run()` until SIGTERM or Ctrl-C.
//
//   KAFKA_BROKERS=127.0.0.1:9092 KAFKA_SCHEMA_REGISTRY_URL=http://127.0.0.1:8085/apis/ccompat/v7 node dist/kafka/complete-consumer.js
//
// Without KAFKA_BROKERS it reads core's in-memory broker (publishing the complete producer's
// event first when the topic is empty) and exits.
import 'reflect-metadata';
import { create } from '@bufbuild/protobuf';
import { NotificationEvent, bootstrapEvents, consoleLogger, formatTimestamp, type ConsumedMessage, type Decoded, type EventHandler, type EventMap, type EventMediator } from '@cqrs/core';
import { UserCreatedSchema, type UserCreated as UserCreatedProtobuf } from '@cqrs/example-protos';
import { DeserializeProtobufError, ProtobufValueDeserializer, type ProtoEvent } from '@cqrs/protobuf';
import { z } from 'zod';
import { main as produce } from './complete-producer';
import { inMemoryBroker, registryOf, settingsOf, type KafkaExampleOptions } from './settings';
import { serve } from './subscriber';

// [logging.basicConfig(level=logging.INFO)]; kafkajs itself logs errors only (the consumer's default is warn).
const logger = consoleLogger('info');

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

const handled: UserCreatedEvent[] = [];

// Event handler.
class UserCreatedEventHandler implements EventHandler<UserCreatedEvent> {
  handle(event: UserCreatedEvent): void {
    handled.push(event);
    logger.info(`User ${event.payload.userId} created: ${event.payload.email}`);
  }
}

// Event mapper.
function eventsMapper(mapper: EventMap): void {
  mapper.bind(UserCreatedEvent, UserCreatedEventHandler);
}

// Mediator factory [functools.lru_cache(maxsize=1)].
let mediator: EventMediator | undefined;
function mediatorFactory(): EventMediator {
  mediator ??= bootstrapEvents({ eventsMapper });
  return mediator;
}

// Kafka subscriber with Protobuf [handle_user_event].
async function handleUserEvent(body: Decoded<UserCreatedEvent>, msg: ConsumedMessage): Promise<void> {
  if (body instanceof DeserializeProtobufError) {
    logger.warn(`Deserialization error: ${body.errorMessage}`);
    await msg.nack();
    return;
  }
  if (body !== null) {
    await mediatorFactory().send(body);
    await msg.ack();
  }
}

/** Runs the subscriber until stopped; resolves with the events handled. */
export async function main(options: KafkaExampleOptions = {}): Promise<readonly UserCreatedEvent[]> {
  const settings = settingsOf(options);
  if (settings.brokers === undefined && inMemoryBroker().records(settings.topic).length === 0) await produce(options);
  const first = handled.length;
  const registry = registryOf(settings);
  await serve(
    {
      groupId: 'protobuf-service',
      fromBeginning: true, // [auto_offset_reset="earliest"], commits are manual [auto_commit=False]
      subscription: {
        topics: [settings.topic],
        valueDeserializer: new ProtobufValueDeserializer<typeof UserCreatedSchema, UserCreatedEvent>({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, ...(registry === undefined ? {} : { registry }) }),
      },
      handler: handleUserEvent,
    },
    settings,
    () => handled.length - first,
  );
  return handled.slice(first);
}

if (require.main === module) void main();
