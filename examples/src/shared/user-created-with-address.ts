// The reference's "Event with Nested Payloads": the payload holds an address model.
import { z } from 'zod';
import { NotificationEvent } from '@cqrs/core';

/** A postal address [AddressPayload]. */
export const AddressPayload = z.object({
  street: z.string().min(1),
  city: z.string().min(1),
  zipCode: z.string().regex(/^\d{5}$/, 'a 5-digit zip code'),
});

/** A sign-up with the user's address [UserCreatedPayload with address]. */
export const UserCreatedWithAddressPayload = z.object({
  userId: z.string().min(1),
  email: z.email(),
  name: z.string().min(1),
  address: AddressPayload,
});

/** The payload type, inferred from the schema. */
export type UserCreatedWithAddressPayload = z.infer<typeof UserCreatedWithAddressPayload>;

/** A user signed up, with an address. */
export class UserCreatedWithAddressEvent extends NotificationEvent<UserCreatedWithAddressPayload> {
  static override readonly payloadSchema = UserCreatedWithAddressPayload;
}
