// Twin of the reference's "Testing": event → proto() → event, asserting nothing is lost: the
// id, the name, the payload, and the timestamp (UTC ISO-8601 in the message, equal after).
// The same once more through bytes, as a consumer would see them.
//
//   node dist/protobuf/testing.js
import assert from 'node:assert/strict';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { toPlainObject } from '@cqrs/protobuf';
import { PROTO_TOPIC, UserCreatedProtoEvent } from './events';

/** What the example checked, for its test. */
export interface TestingSummary {
  readonly event: UserCreatedProtoEvent;
  readonly deserialized: UserCreatedProtoEvent;
  readonly fromBytes: UserCreatedProtoEvent;
}

export async function main(): Promise<TestingSummary> {
  const event = new UserCreatedProtoEvent({ eventName: 'user_created', topic: PROTO_TOPIC, payload: { userId: '123', email: 'user@example.com', name: 'John Doe' } });

  // Test event to Protobuf conversion.
  const protoEvent = event.proto();
  assert.equal(protoEvent.eventId, event.eventId);
  assert.equal(protoEvent.eventTimestamp, event.eventTimestamp.toISOString());

  // Test Protobuf to event conversion [model_validate(proto_event)].
  const deserialized = UserCreatedProtoEvent.parse(toPlainObject(UserCreatedSchema, protoEvent), { topic: PROTO_TOPIC });
  assert.equal(deserialized.eventId, event.eventId);
  assert.equal(deserialized.eventTimestamp.toISOString(), event.eventTimestamp.toISOString());
  assert.deepEqual(deserialized.payload, event.payload);

  // And through the bytes.
  const fromBytes = UserCreatedProtoEvent.parse(toPlainObject(UserCreatedSchema, fromBinary(UserCreatedSchema, toBinary(UserCreatedSchema, protoEvent))), { topic: PROTO_TOPIC });
  assert.deepEqual(fromBytes.toJSON(), event.toJSON());
  console.log(`round trip ok: ${event.eventId} ${event.eventTimestamp.toISOString()} ${JSON.stringify(event.payload)}`);
  return { event, deserialized, fromBytes };
}

if (require.main === module) void main();
