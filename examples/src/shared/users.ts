// The producing side shared by the examples: a command, its handler with an injected
// repository, and the domain event it raises besides the notification event.
import { injectable } from 'tsyringe';
import { DomainEvent, EventRaisingHandler, Request, type EventHandler, type RequestHandler } from '@cqrs/core';
import { UserCreatedProtoEvent } from '../protobuf/events';
import { USER_EVENTS_TOPIC, type UserCreatedEvent } from './user-created';

/** A stored user. */
export interface User {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
}

/**
 * Users by id; a database in a real service. Each example registers it as a singleton in its
 * own child container, so examples run side by side never share users.
 */
@injectable()
export class UserRepository {
  readonly #users = new Map<string, User>();

  /** Stores `user`, refusing a second user with the same id. */
  add(user: User): void {
    if (this.#users.has(user.userId)) throw new Error(`user ${user.userId} already exists`);
    this.#users.set(user.userId, user);
  }

  /** The user with `userId`, if any. */
  find(userId: string): User | undefined {
    return this.#users.get(userId);
  }
}

/** Creates a user; the result is the new user's id. */
export class CreateUserCommand extends Request<string> {
  constructor(
    readonly userId: string,
    readonly email: string,
    readonly name: string,
  ) {
    super();
  }
}

/** Reads a user back. */
export class GetUserQuery extends Request<User | undefined> {
  constructor(readonly userId: string) {
    super();
  }
}

/** In-process: a user was stored. Handled before the request returns. */
export class UserRegistered extends DomainEvent {
  constructor(
    readonly userId: string,
    readonly email: string,
  ) {
    super();
  }
}

/**
 * Stores the user, raises `UserRegistered` (in-process) and `UserCreatedEvent` (to the broker).
 * The event has `proto()`, so the same handler serves JSON and Protobuf brokers alike.
 */
@injectable()
export class CreateUserHandler extends EventRaisingHandler<CreateUserCommand> {
  constructor(private readonly users: UserRepository) {
    super();
  }

  handle(command: CreateUserCommand): string {
    this.users.add({ userId: command.userId, email: command.email, name: command.name });
    this.raise(new UserRegistered(command.userId, command.email));
    this.raise(
      new UserCreatedProtoEvent({
        eventName: 'user_created',
        topic: USER_EVENTS_TOPIC,
        payload: { userId: command.userId, email: command.email, name: command.name },
        key: command.userId,
      }),
    );
    return command.userId;
  }
}

/** Answers `GetUserQuery` from the repository. */
@injectable()
export class GetUserHandler implements RequestHandler<GetUserQuery> {
  constructor(private readonly users: UserRepository) {}

  handle(query: GetUserQuery): User | undefined {
    return this.users.find(query.userId);
  }
}

/** Sends the welcome mail (prints it here) when a user registered. */
export class SendWelcomeEmailHandler implements EventHandler<UserRegistered> {
  handle(event: UserRegistered): void {
    console.log(`[domain] welcome mail sent to ${event.email}`);
  }
}

/** The consumer side's handler of the reference [UserCreatedEventHandler]; keeps the events so callers can see what was handled. */
export class UserCreatedEventHandler implements EventHandler<UserCreatedEvent> {
  static readonly seen: UserCreatedEvent[] = [];

  handle(event: UserCreatedEvent): void {
    UserCreatedEventHandler.seen.push(event);
    console.log(`User ${event.payload.userId} created: ${event.payload.email}`);
  }
}
