// The main example: the reference's complete producer and consumer flow, on the embedded
// default (an in-memory broker and an in-memory schema registry), so it runs with no server.
//
//   CreateUserCommand → RequestMediator → CreateUserHandler (repository injected by tsyringe)
//     → UserRegistered, handled in-process
//     → UserCreatedEvent → proto() → Confluent-framed Protobuf (schema id from the registry)
//       → InMemoryMessageBroker (topic user_events_proto)
//       → InMemoryConsumer → ProtobufValueDeserializer → EventMediator → UserCreatedEventHandler
//
// A poison message (JSON bytes on the Protobuf topic) lands there too: the consumer gets a
// DeserializeProtobufError, nacks it, and it goes to user_events_proto.dlq with its original
// bytes while the good event is still handled. Swap the broker and consumer for the Kafka or
// RabbitMQ ones (examples/src/kafka, examples/src/rabbitmq) and nothing else changes.
import 'reflect-metadata';
import {
  DeadLetterHeaders,
  InMemoryConsumer,
  InMemoryMessageBroker,
  bootstrap,
  bootstrapEvents,
  consoleLogger,
  exponentialBackoff,
  isDeserializeError,
  retryPolicy,
  type EventMediator,
  type RequestMediator,
} from '@cqrs/core';
import { ProtobufValueDeserializer, ProtobufValueSerializer, createSchemaRegistry } from '@cqrs/protobuf';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { UserCreatedProtoEvent } from './protobuf/events';
import { USER_EVENTS_TOPIC } from './shared/user-created';
import { usersContainer } from './shared/containers';
import { CreateUserCommand, CreateUserHandler, SendWelcomeEmailHandler, UserCreatedEventHandler, UserRegistered } from './shared/users';

/** What the example did, for its test. */
export interface MainSummary {
  readonly userId: string;
  readonly handledEvents: readonly string[];
  readonly deadLettered: readonly { readonly errorType: string | undefined; readonly bytes: number }[];
}

/** The producing service's mediator [bootstrap.bootstrap(...)]. */
function producerMediator(broker: InMemoryMessageBroker): RequestMediator {
  return bootstrap({
    container: usersContainer(),
    commandsMapper: (mapper) => mapper.bind(CreateUserCommand, CreateUserHandler),
    domainEventsMapper: (mapper) => mapper.bind(UserRegistered, SendWelcomeEmailHandler),
    messageBroker: broker,
  });
}

/** The consuming service's mediator [mediator_factory()]. */
function consumerMediator(): EventMediator {
  return bootstrapEvents({ eventsMapper: (mapper) => mapper.bind(UserCreatedProtoEvent, UserCreatedEventHandler) });
}

export async function main(): Promise<MainSummary> {
  // One in-memory registry for both sides, as one registry server would be.
  const registry = createSchemaRegistry({ url: 'mem://' });
  const broker = new InMemoryMessageBroker({ valueSerializer: new ProtobufValueSerializer({ registry }) });
  const mediator = producerMediator(broker);
  const events = consumerMediator();
  const handledEvents: string[] = [];

  // [@broker.subscriber("user_events", value_deserializer=...)] with manual ack.
  const consumer = new InMemoryConsumer({
    broker,
    retry: retryPolicy({ maxAttempts: 3, backoff: exponentialBackoff({ initialMs: 10 }) }),
    logger: consoleLogger('warn'),
  }).subscribe({ topics: [USER_EVENTS_TOPIC], valueDeserializer: new ProtobufValueDeserializer({ model: UserCreatedProtoEvent, protobufModel: UserCreatedSchema, registry }) }, async (body, msg) => {
    if (isDeserializeError(body)) {
      console.log(`Deserialization error: ${body.errorMessage}`);
      await msg.nack(body);
      return;
    }
    if (body !== null) {
      await events.send(body);
      handledEvents.push(body.eventId);
      await msg.ack();
    }
  });
  await consumer.start();

  const userId = await mediator.send(new CreateUserCommand('123', 'user@example.com', 'John Doe'));
  console.log(`Command handled, user id ${userId}`);

  // Another producer writes JSON to the Protobuf topic.
  broker.append(USER_EVENTS_TOPIC, { value: new TextEncoder().encode('{"event_name": "user_created"}'), headers: { producer: 'legacy-app' } });

  await consumer.idle();
  await consumer.stop();

  const deadLettered = broker.records(`${USER_EVENTS_TOPIC}.dlq`).map((record) => ({
    errorType: record.headers[DeadLetterHeaders.errorType],
    bytes: record.value?.byteLength ?? 0,
  }));
  for (const dead of deadLettered) console.log(`Dead-lettered to ${USER_EVENTS_TOPIC}.dlq: ${dead.bytes} bytes (${dead.errorType})`);
  return { userId, handledEvents, deadLettered };
}

if (require.main === module) void main();
