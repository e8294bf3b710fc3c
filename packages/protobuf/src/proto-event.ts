import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import type { NotificationEvent } from '@cqrs/core';

/**
 * A notification event that travels as Protobuf: `proto()` builds its message with the
 * generated schema [proto()]. The class names that schema in `static protoSchema`, which the
 * serializer encodes with and the deserializer checks against.
 *
 * ```ts
 * class UserCreatedEvent extends NotificationEvent<UserCreatedPayload> implements ProtoEvent<typeof UserCreatedSchema> {
 *   static override readonly payloadSchema = UserCreatedPayload;
 *   static readonly protoSchema = UserCreatedSchema;
 *   proto(): UserCreated {
 *     return create(UserCreatedSchema, { eventId: this.eventId, eventTimestamp: formatTimestamp(this.eventTimestamp), ... });
 *   }
 * }
 * ```
 */
export interface ProtoEvent<Desc extends DescMessage = DescMessage> {
  proto(): MessageShape<Desc>;
}

/** A notification event with `proto()`. */
export type ProtoNotificationEvent<Desc extends DescMessage = DescMessage> = NotificationEvent<unknown> & ProtoEvent<Desc>;

/** True when `value` has a `proto()` method. */
export function isProtoEvent(value: unknown): value is ProtoEvent {
  return typeof value === 'object' && value !== null && typeof (value as { proto?: unknown }).proto === 'function';
}

/** The schema a Protobuf event's class declares in `static protoSchema`, if any. */
export function protoSchemaOf(event: ProtoEvent): DescMessage | undefined {
  const schema = (event.constructor as { protoSchema?: unknown } | undefined)?.protoSchema;
  return typeof schema === 'object' && schema !== null && (schema as { kind?: unknown }).kind === 'message' ? (schema as DescMessage) : undefined;
}
