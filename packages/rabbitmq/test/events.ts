import { NotificationEvent } from '@cqrs/core';
import { UserCreatedPayload } from '@cqrs/test-fixtures';

/** The reference's `UserCreatedEvent`, JSON flavour: the same payload, no `proto()`. */
export class UserCreatedEvent extends NotificationEvent<UserCreatedPayload> {
  static override readonly payloadSchema = UserCreatedPayload;
}

/** A new `UserCreatedEvent` on `topic`. */
export function userCreated(topic: string, userId: string): UserCreatedEvent {
  return new UserCreatedEvent({ eventName: 'user_created', topic, payload: { userId, email: `${userId}@example.com`, name: `User ${userId}` } });
}
