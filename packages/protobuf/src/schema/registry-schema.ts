import { toBinary, type DescFile } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
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
