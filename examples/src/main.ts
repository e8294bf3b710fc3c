// The main example: the reference's complete producer and consumer flow, on the embedded
// default (an in-memory broker carrying JSON), so it runs with no server.
//
//   CreateUserCommand → RequestMediator → CreateUserHandler (repository injected by tsyringe)
//     → UserRegistered, handled in-process
//     → UserCreatedEvent → InMemoryMessageBroker (topic user_events, JSON bytes)
//       → InMemoryConsumer → JsonValueDeserializer → EventMediator → UserCreatedEventHandler
//
// A poison message (bytes that are no JSON event) lands on the same topic: the consumer gets a
// DeserializeJsonError, nacks it, and it goes to user_events.dlq with its original bytes while
// the good event is still handled.
import 'reflect-metadata';
import {
  DeadLetterHeaders,
  InMemoryConsumer,
  InMemoryMessageBroker,
  JsonValueDeserializer,
  bootstrap,
  bootstrapEvents,
  consoleLogger,
  exponentialBackoff,
  isDeserializeError,
  retryPolicy,
  type EventMediator,
  type RequestMediator,
} from '@cqrs/core';
import { usersContainer } from './shared/containers';
import { USER_EVENTS_TOPIC, UserCreatedEvent } from './shared/user-created';
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
  return bootstrapEvents({ eventsMapper: (mapper) => mapper.bind(UserCreatedEvent, UserCreatedEventHandler) });
}

export async function main(): Promise<MainSummary> {
  const broker = new InMemoryMessageBroker();
  const mediator = producerMediator(broker);
  const events = consumerMediator();
  const handledEvents: string[] = [];

  // [@broker.subscriber("user_events", value_deserializer=...)] with manual ack.
  const consumer = new InMemoryConsumer({
    broker,
    retry: retryPolicy({ maxAttempts: 3, backoff: exponentialBackoff({ initialMs: 10 }) }),
    logger: consoleLogger('warn'),
  }).subscribe({ topics: [USER_EVENTS_TOPIC], valueDeserializer: new JsonValueDeserializer({ model: UserCreatedEvent }) }, async (body, msg) => {
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

  // Another producer writes bytes that are not a JSON event.
  broker.append(USER_EVENTS_TOPIC, { value: new TextEncoder().encode('{"event_name": "user_created", '), headers: { producer: 'legacy-app' } });

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
