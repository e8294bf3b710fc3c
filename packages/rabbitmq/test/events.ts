import { NotificationEvent } from '@cqrs/core';
import { z } from 'zod';

/** Payload of the test event. */
export const UserCreatedPayload = z.object({ userId: z.string(), email: z.string(), name: z.string() });

/** The reference's `UserCreatedEvent`, JSON flavour. */
export class UserCreatedEvent extends NotificationEvent<z.infer<typeof UserCreatedPayload>> {
  static override readonly payloadSchema = UserCreatedPayload;
}

/** A new `UserCreatedEvent` on `topic`. */
export function userCreated(topic: string, userId: string): UserCreatedEvent {
  return new UserCreatedEvent({ eventName: 'user_created', topic, payload: { userId, email: `${userId}@example.com`, name: `User ${userId}` } });
}
