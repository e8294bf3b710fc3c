import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { messageFromEvent } from '@cqrs/core';
import { file_cqrs_example_v1_user_created, UserCreatedSchema, v2 } from '@cqrs/example-protos';
import { UserCreatedEvent } from '@cqrs/test-fixtures';
import { checkCompatibility, InMemorySchemaRegistry, printProto, ProtobufValueDeserializer, ProtobufValueSerializer, registrySchema } from '../src';
import { UserCreatedV2Event } from './fixtures/events';

const topic = 'evolving';

function v2Event(): UserCreatedV2Event {
  return new UserCreatedV2Event({ eventName: 'user_created', topic, payload: { userId: 'u-2', email: 'v2@example.com', name: 'Two', phone: '+1 555' } });
}

describe('schema evolution (in-memory registry)', () => {
  it('a v1 consumer reads v2 messages and keeps the new fields as unknown fields', async () => {
    const registry = new InMemorySchemaRegistry();
    const bytes = (await new ProtobufValueSerializer({ registry }).serialize(messageFromEvent(v2Event()))).value;
    let raw: ReturnType<UserCreatedEvent['proto']> | undefined;
    const v1Reader = new ProtobufValueDeserializer({
      model: UserCreatedEvent,
      protobufModel: UserCreatedSchema,
      registry,
      typeMatch: 'name',
      mapper: (message, context) => {
        raw = message;
        expect(context.writerTypeName).toBe('cqrs.example.v2.UserCreated');
        return { ...message, payload: { userId: message.payload?.userId, email: message.payload?.email, name: message.payload?.name } };
      },
    });
    const event = (await v1Reader.deserialize(bytes, { topic })) as UserCreatedEvent;
    expect(event.payload).toEqual({ userId: 'u-2', email: 'v2@example.com', name: 'Two' });
    expect(raw?.$unknown?.map((field) => field.no)).toEqual([5]);
    expect(raw?.payload?.$unknown?.map((field) => field.no)).toEqual([4]);
    // Re-encoding the v1 message keeps what v1 does not know.
    const again = fromBinary(v2.UserCreatedSchema, toBinary(UserCreatedSchema, raw!));
    expect(again.source).toBe('signup-service');
    expect(again.payload?.phone).toBe('+1 555');
  });

  it('refuses another package by default: the exact type name is the default rule', async () => {
    const registry = new InMemorySchemaRegistry();
    const bytes = (await new ProtobufValueSerializer({ registry }).serialize(messageFromEvent(v2Event()))).value;
    const strict = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });
    expect(await strict.deserialize(bytes, { topic })).toMatchObject({ errorType: 'WrongMessageType' });
  });

  it('a v2 consumer reads v1 messages with the default for the new field', async () => {
    const registry = new InMemorySchemaRegistry();
    const v1 = new UserCreatedEvent({ eventName: 'user_created', topic, payload: { userId: 'u-1', email: 'v1@example.com', name: 'One' } });
    const bytes = (await new ProtobufValueSerializer({ registry }).serialize(messageFromEvent(v1))).value;
    const v2Reader = new ProtobufValueDeserializer({ model: UserCreatedV2Event, protobufModel: v2.UserCreatedSchema, registry, typeMatch: 'name' });
    const event = (await v2Reader.deserialize(bytes, { topic })) as UserCreatedV2Event;
    expect(event.payload).toEqual({ userId: 'u-1', email: 'v1@example.com', name: 'One', phone: '' });
  });

  it('checks compatibility: adding a field passes, changing a field type fails', async () => {
    const registry = new InMemorySchemaRegistry();
    const subject = `${topic}-value`;
    expect(await checkCompatibility({ registry, subject, schema: file_cqrs_example_v1_user_created })).toMatchObject({ compatible: true });
    await registry.register(subject, registrySchema(file_cqrs_example_v1_user_created, 'text', []));
    expect(await checkCompatibility({ registry, subject, schema: v2.file_cqrs_example_v2_user_created })).toEqual({ subject, compatible: true, messages: [] });
    const broken = printProto(file_cqrs_example_v1_user_created.proto).replace('string email = 2;', 'int64 email = 2;');
    const report = await checkCompatibility({ registry, subject, schema: broken });
    expect(report.compatible).toBe(false);
    expect(report.messages).toEqual(['UserCreated.Payload: field 2 (email) changed type from string to int64']);
  });
});
