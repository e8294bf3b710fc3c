// Twin of the reference's "Protobuf Error Handling": log bad bytes with their error type and
// the first bytes in hex, ack empty messages, and nack when the mediator fails, so the
// consumer retries and finally dead-letters the message (`<topic>.dlq`).
//
//   KAFKA_BROKERS=127.0.0.1:9092 KAFKA_SCHEMA_REGISTRY_URL=http://127.0.0.1:8085/apis/ccompat/v7 node dist/kafka/error-handling.js
import 'reflect-metadata';
import { bootstrapEvents, consoleLogger, type ConsumedMessage, type Decoded, type EventMediator } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { DeserializeProtobufError, ProtobufValueDeserializer } from '@cqrs/protobuf';
import { UserCreatedProtoEvent } from '../protobuf/events';
import type { UserCreatedEvent } from '../shared/user-created';
import { UserCreatedEventHandler } from '../shared/users';
import { main as produce } from './protobuf-producer';
import { inMemoryBroker, registryOf, settingsOf, type KafkaExampleOptions } from './settings';
import { serve } from './subscriber';

const logger = consoleLogger('info');

let mediator: EventMediator | undefined;
function mediatorFactory(): EventMediator {
  mediator ??= bootstrapEvents({ eventsMapper: (mapper) => mapper.bind(UserCreatedProtoEvent, UserCreatedEventHandler) });
  return mediator;
}

/** What the handler saw besides good events, for whoever runs the example. */
export interface ErrorHandlingReport {
  readonly handled: UserCreatedEvent[];
  readonly deserializationErrors: number;
  readonly empty: number;
}

/** Consumes with error handling; resolves with what happened once stopped. */
export async function main(options: KafkaExampleOptions = {}): Promise<ErrorHandlingReport> {
  const settings = settingsOf(options);
  if (settings.brokers === undefined && inMemoryBroker().records(settings.topic).length === 0) await produce(options);
  const first = UserCreatedEventHandler.seen.length;
  let deserializationErrors = 0;
  let empty = 0;

  const handleUserEvent = async (body: Decoded<UserCreatedProtoEvent>, msg: ConsumedMessage): Promise<void> => {
    // Check for deserialization errors.
    if (body instanceof DeserializeProtobufError) {
      deserializationErrors += 1;
      logger.error(`Failed to deserialize Protobuf message: ${body.errorMessage}`, {
        errorType: body.errorType,
        messageData: Buffer.from(body.messageData).toString('hex').slice(0, 100), // first 50 bytes
      });
      await msg.nack(); // Retry or send to DLQ
      return;
    }
    // Check for null (empty message).
    if (body === null) {
      empty += 1;
      await msg.ack();
      return;
    }
    // Process valid event.
    try {
      await mediatorFactory().send(body);
      await msg.ack();
    } catch (error) {
      logger.error(`Error processing event: ${String(error)}`);
      await msg.nack(error);
    }
  };

  const registry = registryOf(settings);
  await serve(
    {
      groupId: 'protobuf-error-handling',
      subscription: {
        topics: [settings.topic],
        valueDeserializer: new ProtobufValueDeserializer<typeof UserCreatedSchema, UserCreatedProtoEvent>({ model: UserCreatedProtoEvent, protobufModel: UserCreatedSchema, ...(registry === undefined ? {} : { registry }) }),
      },
      handler: handleUserEvent,
    },
    settings,
    () => UserCreatedEventHandler.seen.length - first + deserializationErrors + empty,
  );
  return { handled: UserCreatedEventHandler.seen.slice(first), deserializationErrors, empty };
}

if (require.main === module) void main();
