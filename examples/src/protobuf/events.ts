// The reference's events with proto() [Basic Event Definition, Event with Nested Payloads]:
// the zod-validated events of examples/src/shared, plus the mapping to their generated
// Protobuf messages. `static protoSchema` names the schema the serializer encodes with.
// The Protobuf, Kafka and RabbitMQ examples all publish and consume these.
import { create } from '@bufbuild/protobuf';
import {
  UserCreatedSchema,
  UserCreatedWithAddressSchema,
  type UserCreated,
  type UserCreatedWithAddress,
} from '@cqrs/example-protos';
import { formatTimestamp } from '@cqrs/core';
import type { ProtoEvent } from '@cqrs/protobuf';
import { UserCreatedEvent } from '../shared/user-created';
import { UserCreatedWithAddressEvent } from '../shared/user-created-with-address';

/** The topic the Protobuf examples publish to [user_events_proto]. */
export const PROTO_TOPIC = 'user_events_proto';

/** A user signed up, as Protobuf. */
export class UserCreatedProtoEvent extends UserCreatedEvent implements ProtoEvent<typeof UserCreatedSchema> {
  static readonly protoSchema = UserCreatedSchema;

  /** Convert event to Protobuf format. */
  proto(): UserCreated {
    return create(UserCreatedSchema, {
      eventId: this.eventId,
      // UTC ISO-8601, so the timestamp comes back equal.
      eventTimestamp: formatTimestamp(this.eventTimestamp),
      eventName: this.eventName,
      payload: {
        userId: this.payload.userId,
        email: this.payload.email,
        name: this.payload.name,
      },
    });
  }
}

/** A user signed up with an address, as Protobuf: nested messages for nested payloads. */
export class UserCreatedWithAddressProtoEvent extends UserCreatedWithAddressEvent implements ProtoEvent<typeof UserCreatedWithAddressSchema> {
  static readonly protoSchema = UserCreatedWithAddressSchema;

  proto(): UserCreatedWithAddress {
    return create(UserCreatedWithAddressSchema, {
      eventId: this.eventId,
      eventTimestamp: formatTimestamp(this.eventTimestamp),
      eventName: this.eventName,
      payload: {
        userId: this.payload.userId,
        email: this.payload.email,
        name: this.payload.name,
        address: {
          street: this.payload.address.street,
          city: this.payload.address.city,
          zipCode: this.payload.address.zipCode,
        },
      },
    });
  }
}
