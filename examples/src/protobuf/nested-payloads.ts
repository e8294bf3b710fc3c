// Twin of the reference's "Event with Nested Payloads" with proto(): the address becomes the
// nested message UserCreatedWithAddress.Payload.Address, and comes back validated (a bad zip
// code in the bytes is refused with a DeserializeProtobufError, not thrown).
//
//   node dist/protobuf/nested-payloads.js
import { clone, toBinary } from '@bufbuild/protobuf';
import { messageFromEvent } from '@cqrs/core';
import { UserCreatedWithAddressSchema } from '@cqrs/example-protos';
import { DeserializeProtobufError, InMemorySchemaRegistry, ProtobufValueDeserializer, ProtobufValueSerializer, encodeFramePrefix } from '@cqrs/protobuf';
import { PROTO_TOPIC, UserCreatedWithAddressProtoEvent } from './events';

/** What the example did, for its test. */
export interface NestedPayloadsSummary {
  readonly event: UserCreatedWithAddressProtoEvent;
  readonly decoded: unknown;
  readonly refused: DeserializeProtobufError | undefined;
}

export async function main(): Promise<NestedPayloadsSummary> {
  const event = new UserCreatedWithAddressProtoEvent({
    eventName: 'user_created',
    topic: PROTO_TOPIC,
    payload: {
      userId: '123',
      email: 'user@example.com',
      name: 'John Doe',
      address: { street: '1 Main St', city: 'Springfield', zipCode: '12345' },
    },
  });
  const proto = event.proto();
  console.log(`proto(): payload.address = ${proto.payload?.address?.street}, ${proto.payload?.address?.city} ${proto.payload?.address?.zipCode}`);

  const registry = new InMemorySchemaRegistry();
  const serializer = new ProtobufValueSerializer({ registry });
  const deserializer = new ProtobufValueDeserializer({ model: UserCreatedWithAddressProtoEvent, protobufModel: UserCreatedWithAddressSchema, registry });
  const schemaId = await serializer.prepare(UserCreatedWithAddressSchema, PROTO_TOPIC);

  const decoded = await deserializer.deserialize((await serializer.serialize(messageFromEvent(event))).value, { topic: PROTO_TOPIC });
  if (decoded instanceof UserCreatedWithAddressProtoEvent) console.log(`decoded: ${decoded.payload.name} lives in ${decoded.payload.address.city}`);

  // Another producer writes a zip code the payload schema refuses.
  const bad = clone(UserCreatedWithAddressSchema, proto);
  if (bad.payload?.address !== undefined) bad.payload.address.zipCode = 'ABC';
  const badBytes = Uint8Array.from([...encodeFramePrefix(schemaId, [0]), ...toBinary(UserCreatedWithAddressSchema, bad)]);
  const result = await deserializer.deserialize(badBytes, { topic: PROTO_TOPIC });
  const refused = result instanceof DeserializeProtobufError ? result : undefined;
  if (refused !== undefined) console.log(`refused: ${refused.errorType}: ${refused.errorMessage.split('\n')[0]}`);
  return { event, decoded, refused };
}

if (require.main === module) void main();
