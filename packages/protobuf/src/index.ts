export {
  ProtobufConfigError,
  ProtobufError,
  ProtobufMappingError,
  ProtobufSerializeError,
  ProtoSchemaError,
  SchemaRegistryError,
  isProtobufError,
  type SchemaRegistryErrorOptions,
} from './errors/protobuf-errors';
export { isProtoEvent, protoSchemaOf, type ProtoEvent, type ProtoNotificationEvent } from './proto-event';

export type { CompatibilityResult, RegisteredSchema, RegistrySchema, SchemaById, SchemaReference, SchemaRegistry } from './registry/schema-registry';
export { DEFAULT_SCHEMA_REGISTRY_URL, resolveRegistryUrl, type FetchLike, type SchemaRegistryConfig, type SchemaRegistryTls } from './registry/schema-registry-config';
export { createSchemaRegistry, isInMemoryUrl } from './registry/create-schema-registry';
export { HttpSchemaRegistry } from './registry/http-schema-registry';
export { InMemorySchemaRegistry } from './registry/in-memory-schema-registry';
export { subjectName, type SubjectNameStrategy } from './registry/subject-name';

export { checkCompatibility, type CheckCompatibilityOptions, type CompatibilityReport } from './compat/check-compatibility';

export { printProto } from './schema/print-proto';
export { registrySchema, schemaString, type SchemaFormat } from './schema/registry-schema';

export { DeserializeProtobufError } from './serde/deserialize-protobuf-error';
export { PROTOBUF_CONTENT_TYPE, ProtobufHeaders } from './serde/protobuf-headers';
export {
  PlainProtobufValueSerializer,
  ProtobufValueSerializer,
  protobufValueSerializer,
  type ProtobufValueSerializerOptions,
} from './serde/protobuf-value-serializer';
export {
  ProtobufValueDeserializer,
  type DecodedMessage,
  type ProtobufMapper,
  type ProtobufMapperContext,
  type ProtobufValueDeserializerOptions,
  type ProtoEventModel,
} from './serde/protobuf-value-deserializer';
export { fromPlainObject } from './serde/from-plain-object';
export { plainMappingDefaults, type PlainMappingOptions } from './serde/plain-mapping-options';
export { plainObjectConverter, toPlainObject } from './serde/to-plain-object';
export type { TypeMatch } from './serde/type-match';

export { encodeFramePrefix, encodeMessageIndexes, MAGIC_BYTE, readFrameHeader, type FrameHeader, type FrameProblem } from './wire/confluent-frame';
export { messageIndexesOf } from './wire/message-indexes';

export { isCodegenAvailable, messageCodec, ProtobufWireError, type MessageCodec, type MessageCodecOptions, type ProtobufWireErrorOptions, type WireProblem } from './codec';
