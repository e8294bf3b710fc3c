import type { DescFile } from '@bufbuild/protobuf';
import { SchemaRegistryError } from '../errors/protobuf-errors';
import { createSchemaRegistry } from '../registry/create-schema-registry';
import type { CompatibilityResult, SchemaReference, SchemaRegistry } from '../registry/schema-registry';
import type { SchemaRegistryConfig } from '../registry/schema-registry-config';
import { registrySchema, referencedFiles, type SchemaFormat } from '../schema/registry-schema';
import { isSchemaRegistry } from '../serde/registry-option';

/** Options of `checkCompatibility`. */
export interface CheckCompatibilityOptions {
  /** The registry, or its config. */
  readonly registry: SchemaRegistry | SchemaRegistryConfig;
  /** The subject to check against, e.g. `user_events_proto-value`. */
  readonly subject: string;
  /** The candidate: `.proto` source text, or a generated file descriptor (`file_..._proto`). */
  readonly schema: string | DescFile;
  /** References of a text schema that imports other files. */
  readonly references?: readonly SchemaReference[];
  /** How a file descriptor is sent; `text` by default, as the serializer does. */
  readonly schemaFormat?: SchemaFormat;
}

/** The verdict, with the subject it is about. */
export interface CompatibilityReport extends CompatibilityResult {
  readonly subject: string;
}

async function referencesOf(registry: SchemaRegistry, file: DescFile, format: SchemaFormat): Promise<SchemaReference[]> {
  const references: SchemaReference[] = [];
  for (const dependency of referencedFiles(file)) {
    const schema = registrySchema(dependency, format, await referencesOf(registry, dependency, format));
    const found = await registry.lookup(dependency.proto.name, schema, true);
    if (found === undefined) throw new SchemaRegistryError(`schema registry ${registry.description}: ${dependency.proto.name}, imported by ${file.proto.name}, is not registered under subject ${dependency.proto.name}`, { status: 404, registryCode: 40403 });
    references.push({ name: dependency.proto.name, subject: dependency.proto.name, version: found.version });
  }
  return references;
}

/**
 * Asks the registry whether `schema` may become the next version of `subject`
 * (`POST /compatibility/subjects/<subject>/versions/latest`) under the subject's compatibility
 * rule. Run it in CI before deploying a producer with a changed schema. A subject with no
 * versions yet is compatible. Imports of a file descriptor must already be registered.
 */
export async function checkCompatibility(options: CheckCompatibilityOptions): Promise<CompatibilityReport> {
  const registry = isSchemaRegistry(options.registry) ? options.registry : createSchemaRegistry(options.registry);
  const format = options.schemaFormat ?? 'text';
  const candidate =
    typeof options.schema === 'string'
      ? { schema: options.schema, schemaType: 'PROTOBUF' as const, references: options.references ?? [] }
      : registrySchema(options.schema, format, await referencesOf(registry, options.schema, format));
  try {
    return { subject: options.subject, ...(await registry.testCompatibility(options.subject, candidate)) };
  } catch (error) {
    // Nothing registered under the subject yet: the first version is always accepted.
    if ((error as { status?: number }).status === 404) return { subject: options.subject, compatible: true, messages: [`subject ${options.subject} has no versions yet`] };
    throw error;
  } finally {
    if (!isSchemaRegistry(options.registry)) await registry.close();
  }
}
