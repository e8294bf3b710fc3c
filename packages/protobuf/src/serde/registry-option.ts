import type { SchemaRegistry } from '../registry/schema-registry';
import type { SchemaRegistryConfig } from '../registry/schema-registry-config';

/** True when a `registry` option is a registry instance rather than its config. */
export function isSchemaRegistry(option: SchemaRegistry | SchemaRegistryConfig | undefined): option is SchemaRegistry {
  return typeof option === 'object' && typeof (option as { register?: unknown }).register === 'function';
}
