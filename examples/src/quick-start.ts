// The quick start of packages/core/README.md, kept runnable: a command, its handler with an
// injected repository, a domain event handled in-process, and a notification event that goes
// through the in-memory broker to a consumer and an EventMediator.
import 'reflect-metadata';
import { injectable, singleton } from 'tsyringe';
import { z } from 'zod';
import {
  DomainEvent,
  EventRaisingHandler,
  InMemoryConsumer,
  InMemoryMessageBroker,
  JsonValueDeserializer,
  NotificationEvent,
  Request,
  bootstrap,
  bootstrapEvents,
  dispatchTo,
  type EventHandler,
} from '@cqrs/core';

// A notification event: it leaves the service, so its payload is validated when decoded.
const UserCreatedPayload = z.object({ userId: z.string(), email: z.email(), name: z.string() });
class UserCreatedEvent extends NotificationEvent<z.infer<typeof UserCreatedPayload>> {
  static override readonly payloadSchema = UserCreatedPayload;
}

// A domain event: handled in this process, after the command handler succeeded.
class UserRegistered extends DomainEvent {
  constructor(readonly userId: string) {
    super();
  }
}

// A command; `Request<string>` makes `send()` return a string.
class CreateUser extends Request<string> {
  constructor(readonly userId: string, readonly email: string, readonly name: string) {
    super();
  }
}

@singleton()
class UserRepository {
  readonly users = new Map<string, string>();
}

@injectable()
class CreateUserHandler extends EventRaisingHandler<CreateUser> {
  constructor(private readonly users: UserRepository) {
    super();
  }

  handle(command: CreateUser): string {
    this.users.users.set(command.userId, command.email);
    this.raise(new UserRegistered(command.userId));
    this.raise(
      new UserCreatedEvent({
        eventName: 'user_created',
        topic: 'user_events',
        payload: { userId: command.userId, email: command.email, name: command.name },
      }),
    );
    return command.userId;
  }
}

class UserRegisteredHandler implements EventHandler<UserRegistered> {
  handle(event: UserRegistered): void {
    console.log(`in-process: user ${event.userId} registered`);
  }
}

class UserCreatedEventHandler implements EventHandler<UserCreatedEvent> {
  handle(event: UserCreatedEvent): void {
    console.log(`User ${event.payload.userId} created: ${event.payload.email}`);
  }
}

export async function main(): Promise<{ userId: string; published: number }> {
  const broker = new InMemoryMessageBroker(); // KafkaMessageBroker or AMQPMessageBroker in production
  const mediator = bootstrap({
    commandsMapper: (m) => m.bind(CreateUser, CreateUserHandler),
    domainEventsMapper: (m) => m.bind(UserRegistered, UserRegisteredHandler),
    messageBroker: broker,
  });
  const events = bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreatedEvent, UserCreatedEventHandler) });

  // dispatchTo: events to the mediator (returning acks, throwing nacks and retries), bad bytes
  // straight to user_events.dlq with their bytes intact, empty messages acked.
  const consumer = new InMemoryConsumer({ broker }).subscribe(
    { topics: ['user_events'], valueDeserializer: new JsonValueDeserializer({ model: UserCreatedEvent }) },
    dispatchTo(events),
  );
  await consumer.start();

  const userId = await mediator.send(new CreateUser('123', 'user@example.com', 'John Doe'));
  await consumer.idle(); // wait until the consumer has handled what was published
  await consumer.stop();
  return { userId, published: broker.records('user_events').length };
}

if (require.main === module) void main();
