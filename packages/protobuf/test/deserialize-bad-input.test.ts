import { messageFromEvent } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { UserCreatedEvent } from '@cqrs/test-fixtures';
import { DeserializeProtobufError, encodeFramePrefix, InMemorySchemaRegistry, ProtobufValueDeserializer, ProtobufValueSerializer } from '../src';
import { UserDeletedEvent, userCreated } from './fixtures/events';

const topic = 'bad_input';

async function setup() {
  const registry = new InMemorySchemaRegistry();
  const serializer = new ProtobufValueSerializer({ registry });
  const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });
  const good = (await serializer.serialize(messageFromEvent(userCreated(topic)))).value;
  return { registry, serializer, deserializer, good };
}

async function expectError(result: unknown, data: Uint8Array, errorType: string, message: RegExp): Promise<void> {
  const value = await result;
  expect(value).toBeInstanceOf(DeserializeProtobufError);
  const error = value as DeserializeProtobufError;
  expect(error.errorType).toBe(errorType);
  expect(error.errorMessage).toMatch(message);
  expect(error.messageData).toBe(data);
  expect(error.name).toBe('DeserializeProtobufError');
}

describe('ProtobufValueDeserializer on bad input: an error value, never a throw', () => {
  it('returns null for an empty message', async () => {
    const { deserializer } = await setup();
    expect(deserializer.deserialize(new Uint8Array(0), { topic })).toBeNull();
    expect(deserializer.deserialize(null, { topic })).toBeNull();
    expect(deserializer.deserialize(undefined, { topic })).toBeNull();
  });

  it('rejects one byte', async () => {
    const { deserializer } = await setup();
    const data = Uint8Array.of(0);
    await expectError(deserializer.deserialize(data, { topic }), data, 'InvalidFrame', /too short.*1 byte\(s\)/);
  });

  it('rejects a wrong magic byte', async () => {
    const { deserializer, good } = await setup();
    const data = Uint8Array.from(good);
    data[0] = 1;
    await expectError(deserializer.deserialize(data, { topic }), data, 'InvalidFrame', /unknown magic byte 0x01/);
  });

  it('says so when JSON arrives on a Protobuf topic', async () => {
    const { deserializer } = await setup();
    const data = new TextEncoder().encode(JSON.stringify(userCreated(topic).toJSON()));
    await expectError(deserializer.deserialize(data, { topic }), data, 'InvalidFrame', /looks like JSON/);
  });

  it('rejects an unknown schema id', async () => {
    const { deserializer, good } = await setup();
    const data = Uint8Array.from(good);
    data[4] = 77;
    await expectError(deserializer.deserialize(data, { topic }), data, 'UnknownSchemaId', /unknown schema id 77/);
  });

  it('rejects truncated and malformed message-index varints', async () => {
    const { deserializer, good } = await setup();
    const id = good.subarray(0, 5);
    const truncated = Uint8Array.of(...id, 0x80); // continuation bit, then nothing
    await expectError(deserializer.deserialize(truncated, { topic }), truncated, 'InvalidFrame', /truncated or malformed message-index count/);
    const missingIndex = Uint8Array.of(...id, 0x04, 0x02); // count 2, only one index
    await expectError(deserializer.deserialize(missingIndex, { topic }), missingIndex, 'InvalidFrame', /message-index varint 2 of 2/);
    const negativeCount = Uint8Array.of(...id, 0x03, 0x00); // zig-zag -2
    await expectError(deserializer.deserialize(negativeCount, { topic }), negativeCount, 'InvalidFrame', /invalid message-index count -2/);
    const outOfRange = Uint8Array.of(...encodeFramePrefix(1, [5]), 0x0a, 0x00);
    await expectError(deserializer.deserialize(outOfRange, { topic }), outOfRange, 'InvalidFrame', /message indexes \[5\] name no message of schema id 1/);
  });

  it('rejects a body that is not valid Protobuf', async () => {
    const { deserializer, good } = await setup();
    const data = Uint8Array.of(...good.subarray(0, 6), 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f); // length far past the end
    await expectError(deserializer.deserialize(data, { topic }), data, 'ProtobufDecodeError', /not a valid cqrs\.example\.v1\.UserCreated/);
    const badWireType = Uint8Array.of(...good.subarray(0, 6), 0x0f);
    await expectError(deserializer.deserialize(badWireType, { topic }), badWireType, 'ProtobufDecodeError', /not a valid/);
  });

  it('rejects a valid message of another type', async () => {
    const { serializer, deserializer } = await setup();
    const other = new UserDeletedEvent({ eventName: 'user_deleted', topic, payload: { userId: 'u-9' } });
    const data = (await serializer.serialize(messageFromEvent(other))).value;
    await expectError(deserializer.deserialize(data, { topic }), data, 'WrongMessageType', /is cqrs\.example\.v1\.UserDeleted, not cqrs\.example\.v1\.UserCreated/);
  });

  it('rejects a decoded message that fails the event validation', async () => {
    const { deserializer, registry } = await setup();
    const serializer = new ProtobufValueSerializer({ registry });
    const notAnEmail = new UserCreatedEvent({ eventName: 'user_created', topic, payload: { userId: 'u-1', email: 'not-an-email', name: 'X' } });
    const data = (await serializer.serialize(messageFromEvent(notAnEmail))).value;
    await expectError(deserializer.deserialize(data, { topic }), data, 'ValidationError', /UserCreatedEvent: invalid payload/);
    const noId = { ...notAnEmail, proto: () => ({ ...notAnEmail.proto(), eventId: 'not-a-uuid', payload: { ...notAnEmail.proto().payload!, email: 'a@b.co' } }) };
    Object.setPrototypeOf(noId, UserCreatedEvent.prototype);
    const badEnvelope = (await serializer.serialize({ messageName: 'x', messageId: 'x', topic, payload: noId })).value;
    await expectError(deserializer.deserialize(badEnvelope, { topic }), badEnvelope, 'ValidationError', /invalid envelope/);
  });

  it('never throws, even from a mapper that does', async () => {
    const registry = new InMemorySchemaRegistry();
    const good = (await new ProtobufValueSerializer({ registry }).serialize(messageFromEvent(userCreated(topic)))).value;
    const deserializer = new ProtobufValueDeserializer({
      model: UserCreatedEvent,
      protobufModel: UserCreatedSchema,
      registry,
      mapper: () => {
        throw new RangeError('mapper broke');
      },
    });
    await expectError(deserializer.deserialize(good, { topic }), good, 'RangeError', /mapper broke/);
  });
});
