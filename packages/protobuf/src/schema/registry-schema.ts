import { clone, toBinary, type DescFile } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, type DescriptorProto, type FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import type { RegistrySchema, SchemaReference } from '../registry/schema-registry';
import { printProto } from './print-proto';

/**
 * How a schema is sent to the registry: `text` (`.proto` source, what Confluent's Java and Go
 * serdes send and what Apicurio can check for compatibility) or `serialized` (a base64
 * `FileDescriptorProto`, exactly what Confluent's JavaScript and Python serdes send).
 */
export type SchemaFormat = 'text' | 'serialized';

/** Files every Confluent-compatible registry knows without a reference. */
export function isBuiltinFile(name: string): boolean {
  return name.startsWith('google/protobuf/') || name.startsWith('google/type/') || name.startsWith('confluent/');
}

/** The schema string of one file in the chosen format. */
export function schemaString(file: DescFile, format: SchemaFormat): string {
  return format === 'text' ? printProto(file.proto) : Buffer.from(toBinary(FileDescriptorProtoSchema, file.proto)).toString('base64');
}

/** A file's schema as the registry takes it, given the references of its imports. */
export function registrySchema(file: DescFile, format: SchemaFormat, references: readonly SchemaReference[]): RegistrySchema {
  return { schema: schemaString(file, format), schemaType: 'PROTOBUF', references };
}

/** The imports of a file that need a schema reference (not the registry's built-in files). */
export function referencedFiles(file: DescFile): DescFile[] {
  return file.dependencies.filter((dependency) => !isBuiltinFile(dependency.proto.name));
}

function withoutJsonNames(file: FileDescriptorProto): FileDescriptorProto {
  const copy = clone(FileDescriptorProtoSchema, file);
  const strip = (message: DescriptorProto): void => {
    // Deleting the own property unsets the proto2 field: the prototype holds the default.
    for (const field of message.field) delete (field as { jsonName?: string }).jsonName;
    for (const nested of message.nestedType) strip(nested);
  };
  copy.messageType.forEach(strip);
  for (const extension of copy.extension) delete (extension as { jsonName?: string }).jsonName;
  return copy;
}

/**
 * The forms other producers register the same file in, `format` first: `.proto` text (Java,
 * Go, ours by default), the base64 descriptor protobuf-es builds (Confluent's JavaScript serde),
 * and that descriptor without `json_name` (what protoc embeds for Python, which Confluent's
 * Python serde sends). A registry that does not normalize across forms (Apicurio) still finds
 * the version another service registered when one of these matches it.
 */
export function equivalentSchemas(file: DescFile, format: SchemaFormat, references: readonly SchemaReference[]): RegistrySchema[] {
  const text = registrySchema(file, 'text', references);
  const serialized = registrySchema(file, 'serialized', references);
  const bare: RegistrySchema = { schema: Buffer.from(toBinary(FileDescriptorProtoSchema, withoutJsonNames(file.proto))).toString('base64'), schemaType: 'PROTOBUF', references };
  const all = format === 'text' ? [text, serialized, bare] : [serialized, bare, text];
  return all.filter((schema, index) => all.findIndex((other) => other.schema === schema.schema) === index);
}
