import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { ConfigurationError, messageFromEvent } from '@cqrs/core';
import { UserCreatedSchema, UserCreatedWithAddress_Payload_AddressSchema, UserDeletedSchema } from '@cqrs/example-protos';
import {
  DeserializeProtobufError,
  encodeMessageIndexes,
  InMemorySchemaRegistry,
  messageIndexesOf,
  PlainProtobufValueSerializer,
  ProtobufHeaders,
  ProtobufConfigError,
  ProtobufError,
  ProtobufSerializeError,
  isProtobufError,
  ProtobufValueDeserializer,
  ProtobufValueSerializer,
  readFrameHeader,
  resolveRegistryUrl,
  subjectName,
} from '../src';
import { parseCompatArgs } from '../src/cli/run-compat-cli';
import { messageAtIndexes } from '../src/wire/message-indexes';
import { UserCreatedEvent } from '@cqrs/test-fixtures';
import { outlineOf, typeNameAt } from '../src/schema/proto-outline';
import { printProto } from '../src/schema/print-proto';
import { userCreated } from './fixtures/events';

describe('Confluent framing', () => {
  it('encodes message indexes as zig-zag varints with the single-zero shortcut', () => {
    expect([...encodeMessageIndexes([0])]).toEqual([0]);
    expect([...encodeMessageIndexes([1])]).toEqual([2, 2]);
    expect([...encodeMessageIndexes([0, 0, 0])]).toEqual([6, 0, 0, 0]);
    expect([...encodeMessageIndexes([70])]).toEqual([2, 0x8c, 0x01]);
    expect(readFrameHeader(Uint8Array.of(0, 0, 0, 1, 0, 2, 0x8c, 0x01, 9))).toEqual({ schemaId: 256, messageIndexes: [70], bodyOffset: 8 });
  });

  it('finds message paths both ways', () => {
    expect(messageIndexesOf(UserDeletedSchema)).toEqual([1]);
    expect(messageIndexesOf(UserCreatedWithAddress_Payload_AddressSchema)).toEqual([0, 0, 0]);
    expect(messageAtIndexes(UserCreatedWithAddress_Payload_AddressSchema.file, [0, 0, 0])).toBe(UserCreatedWithAddress_Payload_AddressSchema);
    expect(messageAtIndexes(UserDeletedSchema.file, [2])).toBeUndefined();
  });

  it('reads type names from .proto text and from base64 descriptors alike', () => {
    const text = printProto(UserCreatedWithAddress_Payload_AddressSchema.file.proto);
    expect(typeNameAt(outlineOf(text)!, [0, 0, 0])).toBe('cqrs.example.v1.UserCreatedWithAddress.Payload.Address');
    const withComments = `// message Fake {\nsyntax = "proto3"; /* message Nope { */ package a.b;\nenum E { X = 0; }\nmessage M { oneof o { string s = 1; } message N {} }\n`;
    expect(typeNameAt(outlineOf(withComments)!, [0, 0])).toBe('a.b.M.N');
    const base64 = Buffer.from(toBinary(FileDescriptorProtoSchema, UserDeletedSchema.file.proto)).toString('base64');
    expect(typeNameAt(outlineOf(base64)!, [1])).toBe('cqrs.example.v1.UserDeleted');
    expect(outlineOf('{"type":"record"}')).toBeUndefined();
  });
});

describe('serializer options', () => {
  it('names subjects by topic, record or both', () => {
    expect(subjectName('topic', 't', 'a.B')).toBe('t-value');
    expect(subjectName('record', 't', 'a.B')).toBe('a.B');
    expect(subjectName('topic-record', 't', 'a.B')).toBe('t-a.B');
    expect(subjectName((topic, type) => `${type}@${topic}`, 't', 'a.B')).toBe('a.B@t');
  });

  it('registers under the record name with the record strategy', async () => {
    const registry = new InMemorySchemaRegistry();
    await new ProtobufValueSerializer({ registry, subjectNameStrategy: 'record' }).serialize(messageFromEvent(userCreated('any')));
    expect((await registry.latest('cqrs.example.v1.UserCreated')).schema).toContain('message UserCreated');
  });

  it('with auto-registration off, uses the id the schema already has and fails clearly when there is none', async () => {
    const registry = new InMemorySchemaRegistry();
    const lookup = new ProtobufValueSerializer({ registry, autoRegister: false });
    await expect(lookup.serialize(messageFromEvent(userCreated('pre')))).rejects.toMatchObject({ name: 'SchemaRegistryError', status: 404 });
    const id = await new ProtobufValueSerializer({ registry }).prepare(UserCreatedSchema, 'pre');
    expect(readFrameHeader((await lookup.serialize(messageFromEvent(userCreated('pre')))).value)).toMatchObject({ schemaId: id });
    const latest = new ProtobufValueSerializer({ registry, autoRegister: false, useLatestVersion: true });
    expect(await latest.prepare(UserCreatedSchema, 'pre')).toBe(id);
  });

  it('explains what is missing when an event cannot be encoded', () => {
    const serializer = new ProtobufValueSerializer({ registry: new InMemorySchemaRegistry() });
    expect(() => serializer.serialize({ messageName: 'm', messageId: 'i', topic: 't', payload: { not: 'proto' } })).toThrow(ProtobufSerializeError);
    const noSchema = { proto: () => userCreated().proto() };
    expect(() => serializer.serialize({ messageName: 'm', messageId: 'i', topic: 't', payload: noSchema })).toThrow(/static readonly protoSchema = UserCreatedSchema/);
    const withSchemas = new ProtobufValueSerializer({ registry: false, schemas: [UserCreatedSchema] });
    expect(withSchemas.serialize({ messageName: 'm', messageId: 'i', topic: 't', payload: userCreated().proto() })).toHaveProperty('value');
  });

  it('reads the registry URL from options, then KAFKA_SCHEMA_REGISTRY_URL, then the default', () => {
    expect(resolveRegistryUrl({ url: 'http://a:1' }, { KAFKA_SCHEMA_REGISTRY_URL: 'http://b:2' })).toBe('http://a:1');
    expect(resolveRegistryUrl({}, { KAFKA_SCHEMA_REGISTRY_URL: 'http://b:2' })).toBe('http://b:2');
    expect(resolveRegistryUrl({}, {})).toBe('http://localhost:8085');
  });
});

describe('plain Protobuf without a registry (RabbitMQ)', () => {
  it('writes bare Protobuf with the type in a header and reads it back', () => {
    const event = userCreated('plain');
    const encoded = new PlainProtobufValueSerializer().serialize(messageFromEvent(event));
    if (encoded instanceof Promise) throw new Error('plain serialization is synchronous');
    expect(fromBinary(UserCreatedSchema, encoded.value).eventId).toBe(event.eventId);
    expect(encoded.headers?.[ProtobufHeaders.messageType]).toBe('cqrs.example.v1.UserCreated');
    const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry: false });
    const back = deserializer.deserialize(encoded.value, { topic: 'plain', headers: encoded.headers });
    expect((back as UserCreatedEvent).eventId).toBe(event.eventId);
    const wrongType = deserializer.deserialize(encoded.value, { topic: 'plain', headers: { [ProtobufHeaders.messageType]: 'cqrs.example.v1.UserDeleted' } });
    expect(wrongType).toMatchObject({ errorType: 'WrongMessageType' });
    const json = deserializer.deserialize(new TextEncoder().encode('{"a":1}'), { topic: 'plain', headers: { 'content-type': 'application/json' } });
    expect(json).toBeInstanceOf(DeserializeProtobufError);
    expect(json).toMatchObject({ errorType: 'WrongContentType' });
  });
});

describe('cqrs-proto-compat arguments', () => {
  it('parses subject, topic, url, auth and references', () => {
    expect(parseCompatArgs(['--topic', 'orders', '--url', 'http://r:1', '--user', 'u:p:w', '--reference', 'a.proto=a.proto:3', 'x.proto'], {})).toEqual({
      file: 'x.proto',
      subject: 'orders-value',
      registry: { url: 'http://r:1', basicAuth: { username: 'u', password: 'p:w' }, maxRetries: 1 },
      references: [{ name: 'a.proto', subject: 'a.proto', version: 3 }],
    });
    expect(() => parseCompatArgs(['x.proto'], {})).toThrow(/--subject or --topic is required/);
    expect(parseCompatArgs(['-h'], {})).toBe('help');
  });
});

describe('types tie the event class to its schema', () => {
  it('refuses a protobufModel that is not what the model proto() returns (compile time)', () => {
    const registry = new InMemorySchemaRegistry();
    // @ts-expect-error UserCreatedEvent.proto() returns a UserCreated, not a UserDeleted.
    const mismatched = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserDeletedSchema, registry });
    const matched = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });
    expect(mismatched).toBeInstanceOf(ProtobufValueDeserializer);
    expect(matched).toBeInstanceOf(ProtobufValueDeserializer);
  });
});

describe('protobufModel', () => {
  it('defaults to the event class its static protoSchema', async () => {
    const registry = new InMemorySchemaRegistry();
    const bytes = (await new ProtobufValueSerializer({ registry }).serialize(messageFromEvent(userCreated('cls')))).value;
    const deserializer = new ProtobufValueDeserializer({ model: UserCreatedEvent, registry });
    expect(await deserializer.deserialize(bytes, { topic: 'cls' })).toBeInstanceOf(UserCreatedEvent);
  });

  it('is required of a class without protoSchema: a ProtobufConfigError, a core ConfigurationError', () => {
    class NoSchema extends UserCreatedEvent {
      static override readonly protoSchema = undefined as never;
    }
    const build = () => new ProtobufValueDeserializer<typeof UserCreatedSchema, UserCreatedEvent>({ model: NoSchema, registry: false });
    expect(build).toThrow(ProtobufConfigError);
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow('NoSchema has no static protoSchema: pass protobufModel');
  });

  it('every error of the package has the root and its guard', () => {
    const error = new ProtobufSerializeError('x');
    expect(error).toBeInstanceOf(ProtobufError);
    expect(isProtobufError(error)).toBe(true);
    expect(isProtobufError(new ProtobufConfigError('y'))).toBe(true);
    expect(isProtobufError(new ConfigurationError('z'))).toBe(false);
  });
});
