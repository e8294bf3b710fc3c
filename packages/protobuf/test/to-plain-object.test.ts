import { create, fromJson, type DescField, type DescMessage, type Message } from '@bufbuild/protobuf';
import { DescriptorProtoSchema, FileDescriptorProtoSchema, StructSchema, TimestampSchema, ValueSchema } from '@bufbuild/protobuf/wkt';
import { messageFromEvent } from '@cqrs/core';
import { UserCreatedSchema, UserCreatedWithAddressSchema } from '@cqrs/example-protos';
import { UserCreatedEvent } from '@cqrs/test-fixtures';
import { InMemorySchemaRegistry, ProtobufValueDeserializer, ProtobufValueSerializer, readFrameHeader, toPlainObject, type ProtobufMapperContext } from '../src';

// The mapping as it was written before it was compiled per schema: walks the descriptor for
// every message. The compiled one must give the same objects.
type Fields = Record<string, unknown>;
function referenceMessage(desc: DescMessage, message: Fields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of desc.members) {
    const value = message[member.localName];
    if (member.kind === 'oneof') {
      const selected = value as { case: string | undefined; value?: unknown };
      if (selected.case === undefined) continue;
      const field = member.fields.find((candidate) => candidate.localName === selected.case);
      out[member.localName] = { case: selected.case, value: field === undefined ? selected.value : referenceField(field, selected.value) };
      continue;
    }
    out[member.localName] = referenceField(member, value);
  }
  return out;
}
function referenceField(field: DescField, value: unknown): unknown {
  if (value === undefined) return undefined;
  switch (field.fieldKind) {
    case 'message':
      return referenceMessage(field.message, value as Fields);
    case 'list':
      return field.listKind === 'message' ? (value as Fields[]).map((item) => referenceMessage(field.message, item)) : [...(value as unknown[])];
    case 'map': {
      if (field.mapKind !== 'message') return { ...(value as Fields) };
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, Fields>)) out[key] = referenceMessage(field.message, item);
      return out;
    }
    default:
      return value;
  }
}

function expectSameAsReference(desc: DescMessage, message: Message): Record<string, unknown> {
  const plain = toPlainObject(desc, message);
  expect(plain).toStrictEqual(referenceMessage(desc, message as unknown as Fields));
  return plain;
}

describe('toPlainObject', () => {
  test('drops $typeName and keeps camelCase names of nested messages', () => {
    const message = create(UserCreatedWithAddressSchema, {
      eventId: 'e1',
      eventTimestamp: '2024-05-01T10:00:00Z',
      eventName: 'user_created',
      payload: { userId: '1', email: 'a@b.c', name: 'A', address: { street: 'S', city: 'C', zipCode: 'Z' } },
    });
    const plain = expectSameAsReference(UserCreatedWithAddressSchema, message);
    expect(plain).toStrictEqual({
      eventId: 'e1',
      eventTimestamp: '2024-05-01T10:00:00Z',
      eventName: 'user_created',
      payload: { userId: '1', email: 'a@b.c', name: 'A', address: { street: 'S', city: 'C', zipCode: 'Z' } },
    });
  });

  test('an unset message field stays as an undefined property', () => {
    const plain = expectSameAsReference(UserCreatedSchema, create(UserCreatedSchema, { eventId: 'e1' }));
    expect('payload' in plain).toBe(true);
    expect(plain.payload).toBeUndefined();
  });

  test('Value fields become JSON, also inside a top-level Struct; an unset oneof is left out', () => {
    const struct = fromJson(StructSchema, { a: 1, b: 'x', c: [true, null, { d: [] }], e: { f: 'g' } });
    expect(toPlainObject(StructSchema, struct)).toStrictEqual({ fields: { a: 1, b: 'x', c: [true, null, { d: [] }], e: { f: 'g' } } });
    expect(toPlainObject(ValueSchema, create(ValueSchema))).toStrictEqual({});
  });

  test('int64 stays bigint, lists and maps are copies', () => {
    expect(toPlainObject(TimestampSchema, create(TimestampSchema, { seconds: 12n, nanos: 3 }))).toStrictEqual({ seconds: 12n, nanos: 3 });
    const file = create(FileDescriptorProtoSchema, { name: 'a.proto', dependency: ['b.proto'], messageType: [{ name: 'M', nestedType: [{ name: 'N' }] }] });
    const plain = expectSameAsReference(FileDescriptorProtoSchema, file);
    expect(plain.dependency).toStrictEqual(['b.proto']);
    expect(plain.dependency).not.toBe(file.dependency);
    const struct = create(StructSchema);
    const emptyMap = toPlainObject(StructSchema, struct).fields;
    expect(emptyMap).toStrictEqual({});
    expect(emptyMap).not.toBe(struct.fields);
  });

  test('matches the descriptor walk on large descriptor messages', () => {
    expectSameAsReference(FileDescriptorProtoSchema, UserCreatedWithAddressSchema.file.proto);
    for (const message of UserCreatedWithAddressSchema.file.proto.messageType) expectSameAsReference(DescriptorProtoSchema, message);
  });
});

describe('mapper context', () => {
  // Built only when a mapper is set; it must read as it did when built for every message.
  const event = (): UserCreatedEvent => new UserCreatedEvent({ eventName: 'user_created', topic: 'ctx', payload: { userId: 'u', email: 'u@example.com', name: 'U' } });

  test('framed values tell the topic, the headers, the schema id and the writer type', async () => {
    const registry = new InMemorySchemaRegistry();
    const encoded = await new ProtobufValueSerializer({ registry }).serialize(messageFromEvent(event()));
    const seen: ProtobufMapperContext[] = [];
    const reader = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry, mapper: (message, context) => (seen.push(context), toPlainObject(UserCreatedSchema, message)) });
    const schemaId = readFrameHeader(encoded.value) as { schemaId: number };
    expect(await reader.deserialize(encoded.value, { topic: 'ctx', headers: { a: 'b' } })).toBeInstanceOf(UserCreatedEvent);
    expect(await reader.deserialize(encoded.value, { topic: 'ctx' })).toBeInstanceOf(UserCreatedEvent);
    expect(seen).toStrictEqual([
      { topic: 'ctx', headers: { a: 'b' }, schemaId: schemaId.schemaId, writerTypeName: UserCreatedSchema.typeName },
      { topic: 'ctx', headers: undefined, schemaId: schemaId.schemaId, writerTypeName: UserCreatedSchema.typeName },
    ]);
  });

  test('plain values tell the topic, the headers when there are some, and the writer type', async () => {
    const encoded = await new ProtobufValueSerializer({ registry: false }).serialize(messageFromEvent(event()));
    const seen: ProtobufMapperContext[] = [];
    const reader = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry: false, mapper: (message, context) => (seen.push(context), toPlainObject(UserCreatedSchema, message)) });
    expect(await reader.deserialize(encoded.value, { topic: 'ctx', headers: encoded.headers })).toBeInstanceOf(UserCreatedEvent);
    expect(await reader.deserialize(encoded.value, { topic: 'ctx' })).toBeInstanceOf(UserCreatedEvent);
    expect(seen).toStrictEqual([
      { topic: 'ctx', headers: encoded.headers, writerTypeName: UserCreatedSchema.typeName },
      { topic: 'ctx', writerTypeName: UserCreatedSchema.typeName },
    ]);
  });
});
