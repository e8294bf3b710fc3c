import { HttpSchemaRegistry } from './http-schema-registry';
import { InMemorySchemaRegistry } from './in-memory-schema-registry';
import type { SchemaRegistry } from './schema-registry';
import { resolveRegistryUrl, type SchemaRegistryConfig } from './schema-registry-config';

const inMemoryByName = new Map<string, InMemorySchemaRegistry>();

/** True for `mem://` URLs, which select an in-memory registry. */
export function isInMemoryUrl(url: string): boolean {
  return url.startsWith('mem://');
}

/**
 * A schema registry client for `config`: our HTTP client of a Confluent-compatible registry
 * (over `fetch`, no dependency), or an in-memory registry for `mem://` URLs (the same
 * `mem://name` gives the same instance). Nothing connects until the first request; a
 * malformed URL is a `ConfigurationError` right away.
 *
 * ```ts
 * const registry = createSchemaRegistry({ url: 'https://registry.example.com', basicAuth: { username, password } });
 * ```
 */
export function createSchemaRegistry(config: SchemaRegistryConfig = {}): SchemaRegistry {
  const url = resolveRegistryUrl(config);
  if (isInMemoryUrl(url)) {
    let registry = inMemoryByName.get(url);
    if (registry === undefined) {
      registry = new InMemorySchemaRegistry(url);
      inMemoryByName.set(url, registry);
    }
    return registry;
  }
  return new HttpSchemaRegistry(config, url, config.url === undefined ? 'KAFKA_SCHEMA_REGISTRY_URL' : 'url');
}
