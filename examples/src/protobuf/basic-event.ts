// Twin of the reference's "Basic Event Definition" with proto(): an event that maps itself to
// its generated Protobuf message, encoded in Confluent's wire format and read back into an
// equal, validated event. The registry is in memory, so this runs with no server.
//
//   node dist/protobuf/basic-event.js
import { messageFromEvent } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { InMemorySchemaRegistry, ProtobufValueDeserializer, ProtobufValueSerializer, readFrameHeader } from '@cqrs/protobuf';
import { PROTO_TOPIC, UserCreatedProtoEvent } from './events';

/** What the example did, for its test. */
export interface BasicEventSummary {
  readonly event: UserCreatedProtoEvent;
  readonly decoded: unknown;
  readonly bytes: number;
  readonly schemaId: number;
}

export async function main(): Promise<BasicEventSummary> {
  const event = new UserCreatedProtoEvent({
    eventName: 'user_created',
    topic: PROTO_TOPIC,
    payload: { userId: '123', email: 'user@example.com', name: 'John Doe' },
  });
  const proto = event.proto();
  console.log(`proto(): ${proto.$typeName} event_id=${proto.eventId} payload.user_id=${proto.payload?.userId}`);

  const registry = new InMemorySchemaRegistry();
  const serializer = new ProtobufValueSerializer({ registry });
  const encoded = await serializer.serialize(messageFromEvent(event));
  const header = readFrameHeader(encoded.value);
  const schemaId = 'schemaId' in header ? header.schemaId : -1;
  console.log(`encoded: ${encoded.value.length} bytes, schema id ${schemaId}, headers ${JSON.stringify(encoded.headers)}`);

  const deserializer = new ProtobufValueDeserializer({ model: UserCreatedProtoEvent, protobufModel: UserCreatedSchema, registry });
  const decoded = await deserializer.deserialize(encoded.value, { topic: PROTO_TOPIC });
  if (decoded instanceof UserCreatedProtoEvent) {
    console.log(`decoded: ${decoded.eventName} ${decoded.eventId} for ${decoded.payload.email} at ${decoded.eventTimestamp.toISOString()}`);
  }
  return { event, decoded, bytes: encoded.value.length, schemaId };
}

if (require.main === module) void main();
