import { create, createMutableRegistry, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { MockClient, ProtobufDeserializer, ProtobufSerializer, SerdeType, type Client } from '@confluentinc/schemaregistry';
import {
  UserCreatedSchema,
  UserCreatedWithAddress_Payload_AddressSchema,
  UserDeletedSchema,
} from '@cqrs/example-protos';
import { UserCreatedEvent } from '@cqrs/test-fixtures';
import { ProtobufValueDeserializer, ProtobufValueSerializer, readFrameHeader } from '../src';
import { ConfluentSchemaRegistry, type ConfluentClient } from '../src/confluent';
import { userCreated } from './fixtures/events';

const topic = 'confluent_compat';

/** Confluent's MockClient, shared by their serdes and ours through the adapter. */
function mockRegistry(): { client: Client; registry: ConfluentSchemaRegistry } {
  const client = new MockClient({ baseURLs: ['mem://'] });
  // Compiles only while Confluent's client still fits the adapter's structural type.
  const fits: ConfluentClient = client;
  return { client, registry: new ConfluentSchemaRegistry(() => fits, 'mem://') };
}

function confluentPair(client: Client, ...schemas: DescMessage[]) {
  const serializer = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true, registry: createMutableRegistry(...schemas) });
  const deserializer = new ProtobufDeserializer(client, SerdeType.VALUE, {});
  return { serializer, deserializer };
}

describe('byte-identical with @confluentinc/schemaregistry', () => {
  const cases: [string, DescMessage, () => MessageShape<DescMessage>, number[]][] = [
    ['first-message-of-a-file case ([0])', UserCreatedSchema, () => userCreated(topic).proto(), [0]],
    ['second message of a file with an import ([1])', UserDeletedSchema, () => create(UserDeletedSchema, { eventId: 'e', eventName: 'user_deleted', payload: { userId: 'u', lastProfile: { name: 'n' } } }), [1]],
    ['nested message ([0, 0, 0])', UserCreatedWithAddress_Payload_AddressSchema, () => create(UserCreatedWithAddress_Payload_AddressSchema, { street: '1 Main St', city: 'Springfield', zipCode: '12345' }), [0, 0, 0]],
  ];

  it.each(cases)('writes the same bytes as ProtobufSerializer for %s', async (_name, desc, build, indexes) => {
    const { client, registry } = mockRegistry();
    const confluent = confluentPair(client, desc);
    const message = build();
    const theirs = await confluent.serializer.serialize(topic, message);
    const ours = new ProtobufValueSerializer({ registry, schemaFormat: 'serialized' });
    const mine = await ours.encode(desc, message, topic);
    expect(Buffer.from(mine.value).toString('hex')).toBe(theirs.toString('hex'));
    expect(readFrameHeader(mine.value)).toMatchObject({ messageIndexes: indexes });
    // Confluent's deserializer reads ours.
    const back = (await confluent.deserializer.deserialize(topic, Buffer.from(mine.value))) as MessageShape<DescMessage>;
    expect(back.$typeName).toBe(desc.typeName);
  });

  it('reads what ProtobufSerializer wrote into an event', async () => {
    const { client, registry } = mockRegistry();
    const confluent = confluentPair(client, UserCreatedSchema);
    const event = userCreated(topic);
    const bytes = await confluent.serializer.serialize(topic, event.proto());
    const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });
    const back = (await deserializer.deserialize(new Uint8Array(bytes), { topic })) as UserCreatedEvent;
    expect(back.eventId).toBe(event.eventId);
    expect(back.payload).toEqual(event.payload);
  });
});
