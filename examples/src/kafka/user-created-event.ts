// The reference's `UserCreatedPayload`, `UserCreatedEvent` with `proto()` and
// `UserCreatedEventHandler`, shared by the Kafka examples.
import { create } from '@bufbuild/protobuf';
import { NotificationEvent, type EventHandler } from '@cqrs/core';
import { UserCreatedSchema, type UserCreated } from '@cqrs/example-protos';
import type { ProtoEvent } from '@cqrs/protobuf';
import { z } from 'zod';

/** Event payload [UserCreatedPayload]: validated whenever an event is decoded. */
export const UserCreatedPayload = z.object({ userId: z.string().min(1), email: z.email(), name: z.string() });

/** The payload type. */
export type UserCreatedPayload = z.infer<typeof UserCreatedPayload>;

/** A user signed up; travels as Confluent-framed Protobuf through `proto()`. */
export class UserCreatedEvent extends NotificationEvent<UserCreatedPayload> implements ProtoEvent<typeof UserCreatedSchema> {
  static override readonly payloadSchema = UserCreatedPayload;
  static readonly protoSchema = UserCreatedSchema;

  /** Convert event to Protobuf format. */
  proto(): UserCreated {
    return create(UserCreatedSchema, {
      eventId: this.eventId,
      eventTimestamp: this.eventTimestamp.toISOString(),
      eventName: this.eventName,
      payload: { userId: this.payload.userId, email: this.payload.email, name: this.payload.name },
    });
  }
}

/** Prints each new user [UserCreatedEventHandler]; keeps them so callers can see what was handled. */
export class UserCreatedEventHandler implements EventHandler<UserCreatedEvent> {
  static readonly seen: UserCreatedEvent[] = [];

  handle(event: UserCreatedEvent): void {
    UserCreatedEventHandler.seen.push(event);
    console.log(`User ${event.payload.userId} created: ${event.payload.email}`);
  }
}
