import { create } from '@bufbuild/protobuf';
import { NotificationEvent } from '@cqrs/core';
import type { ProtoEvent } from '@cqrs/protobuf';
import { UserCreatedSchema, type UserCreated } from '@cqrs/example-protos';
import { UserCreatedPayload } from './events';
import type { z } from 'zod';

/** The reference's `UserCreatedEvent` with `proto()`. */
export class UserCreatedProtoEvent extends NotificationEvent<z.infer<typeof UserCreatedPayload>> implements ProtoEvent<typeof UserCreatedSchema> {
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
