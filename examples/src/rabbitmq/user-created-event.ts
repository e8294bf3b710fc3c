// The reference's `UserCreatedEvent` with `proto()`, shared by the RabbitMQ producer and consumer.
import { create } from '@bufbuild/protobuf';
import { NotificationEvent, type EventHandler } from '@cqrs/core';
import { UserCreatedSchema, type UserCreated } from '@cqrs/example-protos';
import type { ProtoEvent } from '@cqrs/protobuf';
import { z } from 'zod';

/** Event payload [UserCreatedPayload]; validated when the event is decoded. */
export const UserCreatedPayload = z.object({ userId: z.string(), email: z.string(), name: z.string() });

/** A user signed up; travels as Protobuf through `proto()`. */
export class UserCreatedEvent extends NotificationEvent<z.infer<typeof UserCreatedPayload>> implements ProtoEvent<typeof UserCreatedSchema> {
  static override readonly payloadSchema = UserCreatedPayload;
  static readonly protoSchema = UserCreatedSchema;

  proto(): UserCreated {
    return create(UserCreatedSchema, {
      eventId: this.eventId,
      eventTimestamp: this.eventTimestamp.toISOString(),
      eventName: this.eventName,
      payload: { userId: this.payload.userId, email: this.payload.email, name: this.payload.name },
    });
  }
}

/** Prints each user it is told about [UserCreatedEventHandler]; keeps them for whoever asks. */
export class UserCreatedEventHandler implements EventHandler<UserCreatedEvent> {
  static readonly seen: UserCreatedEvent[] = [];

  handle(event: UserCreatedEvent): void {
    UserCreatedEventHandler.seen.push(event);
    console.log(`User ${event.payload.userId} created: ${event.payload.email}`);
  }
}
