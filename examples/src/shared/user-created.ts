// The reference's "Basic Event Definition": a frozen payload model and a notification event.
// The Protobuf twin (examples/src/protobuf/) adds proto() to a subclass of this event.
import { z } from 'zod';
import { NotificationEvent } from '@cqrs/core';

/** What a user gave at sign-up [UserCreatedPayload]. */
export const UserCreatedPayload = z.object({
  userId: z.string().min(1),
  email: z.email(),
  name: z.string().min(1),
});

/** The payload type, inferred from the schema. */
export type UserCreatedPayload = z.infer<typeof UserCreatedPayload>;

/** A user signed up [UserCreatedEvent]; published to `user_events`. */
export class UserCreatedEvent extends NotificationEvent<UserCreatedPayload> {
  static override readonly payloadSchema = UserCreatedPayload;
}

/** The topic the examples publish user events to. */
export const USER_EVENTS_TOPIC = 'user_events';
