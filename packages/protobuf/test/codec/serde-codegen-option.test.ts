import { messageFromEvent } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { UserCreatedEvent } from '@cqrs/test-fixtures';
import { InMemorySchemaRegistry, ProtobufValueDeserializer, ProtobufValueSerializer, isCodegenAvailable } from '../../src';
import { userCreated } from '../fixtures/events';

describe('the serde with and without the compiled codec', () => {
  it('writes the same frame and reads the same event with codegen: false', async () => {
    expect(isCodegenAvailable()).toBe(true);
    const registry = new InMemorySchemaRegistry();
    const event = userCreated('codec_option_topic');
    const compiled = await new ProtobufValueSerializer({ registry }).serialize(messageFromEvent(event));
    const plain = await new ProtobufValueSerializer({ registry, codegen: false }).serialize(messageFromEvent(event));
    expect(Buffer.from(plain.value).equals(Buffer.from(compiled.value))).toBe(true);
    for (const codegen of [true, false]) {
      const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry, codegen });
      const back = (await deserializer.deserialize(compiled.value, { topic: 'codec_option_topic' })) as UserCreatedEvent;
      expect(back).toBeInstanceOf(UserCreatedEvent);
      expect(back.payload).toEqual(event.payload);
    }
  });

  it('turns damaged Protobuf bytes into a DeserializeProtobufError that keeps them and names the damage', async () => {
    const registry = new InMemorySchemaRegistry();
    const framed = (await new ProtobufValueSerializer({ registry }).serialize(messageFromEvent(userCreated('codec_option_topic')))).value;
    const damaged = Uint8Array.from([...framed.subarray(0, 6), 0x0a, 0x7f, 0x61]); // a string field with a length past the end
    const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });
    const result = await deserializer.deserialize(damaged, { topic: 'codec_option_topic' });
    expect(result).toMatchObject({ errorType: 'ProtobufDecodeError', messageData: damaged });
    expect((result as { errorMessage: string }).errorMessage).toMatch(/length 127 past the end/);
  });
});
