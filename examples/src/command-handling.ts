// Command handling [bootstrap.bootstrap(di_container=..., commands_mapper=..., domain_events_mapper=...,
// message_broker=...)]: a command goes through the RequestMediator to a handler whose repository
// tsyringe injects; once it succeeded, the domain event it raised is handled in-process and its
// notification event is published to the in-memory broker as JSON. A query reads the user back,
// and a second identical command fails without emitting anything.
import 'reflect-metadata';
import { InMemoryMessageBroker, StandardHeaders, bootstrap, loggingMiddleware, consoleLogger } from '@cqrs/core';
import { usersContainer } from './shared/containers';
import { USER_EVENTS_TOPIC } from './shared/user-created';
import { CreateUserCommand, CreateUserHandler, GetUserHandler, GetUserQuery, SendWelcomeEmailHandler, UserRegistered, type User } from './shared/users';

/** What the example did, for its test. */
export interface CommandHandlingSummary {
  readonly userId: string;
  readonly user: User | undefined;
  readonly published: readonly { readonly topic: string; readonly key: string | undefined; readonly messageName: string | undefined; readonly json: unknown }[];
  readonly duplicateError: string;
}

export async function main(): Promise<CommandHandlingSummary> {
  const broker = new InMemoryMessageBroker();
  const mediator = bootstrap({
    container: usersContainer(),
    commandsMapper: (mapper) => mapper.bind(CreateUserCommand, CreateUserHandler),
    queriesMapper: (mapper) => mapper.bind(GetUserQuery, GetUserHandler),
    domainEventsMapper: (mapper) => mapper.bind(UserRegistered, SendWelcomeEmailHandler),
    messageBroker: broker,
    middlewares: [loggingMiddleware({ logger: consoleLogger('info'), level: 'info' })],
  });

  // The result type comes from CreateUserCommand extends Request<string>: no cast.
  const userId: string = await mediator.send(new CreateUserCommand('123', 'user@example.com', 'John Doe'));
  console.log(`created user ${userId}`);

  const user = await mediator.send(new GetUserQuery(userId));
  console.log(`read back: ${JSON.stringify(user)}`);

  // The repository refuses a second user 123: the handler throws, so nothing it raised is emitted.
  let duplicateError = '';
  try {
    await mediator.send(new CreateUserCommand('123', 'other@example.com', 'Jane Doe'));
  } catch (error) {
    duplicateError = error instanceof Error ? error.message : String(error);
    console.log(`second command failed: ${duplicateError}`);
  }

  const published = broker.records(USER_EVENTS_TOPIC).map((record) => ({
    topic: record.topic,
    key: record.key,
    messageName: record.headers[StandardHeaders.messageName],
    json: JSON.parse(new TextDecoder().decode(record.value ?? new Uint8Array())) as unknown,
  }));
  console.log(`${published.length} message(s) on ${USER_EVENTS_TOPIC}:`);
  for (const message of published) console.log(`  key=${message.key} ${JSON.stringify(message.json)}`);
  return { userId, user, published, duplicateError };
}

if (require.main === module) void main();
