import { create } from '@bufbuild/protobuf';
import { NotificationEvent } from '@cqrs/core';
import { UserUpdatedSchema, type UserUpdated } from '@cqrs/example-protos';
import type { ProtoEvent } from '@cqrs/protobuf';
import { UserCreatedEvent } from '@cqrs/test-fixtures';

/** A valid event of another type, to put on a `UserCreated` topic by mistake. */
export class UserUpdatedEvent extends NotificationEvent<{ userId: string; changedFields: string[] }> implements ProtoEvent<typeof UserUpdatedSchema> {
  static readonly protoSchema = UserUpdatedSchema;

  proto(): UserUpdated {
    return create(UserUpdatedSchema, {
      eventId: this.eventId,
      eventTimestamp: this.eventTimestamp.toISOString(),
      eventName: this.eventName,
      payload: { userId: this.payload.userId, changedFields: this.payload.changedFields },
    });
  }
}

/** A user-created event on `topic`, keyed by the user id. */
export function userCreated(topic: string, userId: string, email = `${userId}@example.com`): UserCreatedEvent {
  return new UserCreatedEvent({ eventName: 'user_created', topic, key: userId, payload: { userId, email, name: `User ${userId}` } });
}
