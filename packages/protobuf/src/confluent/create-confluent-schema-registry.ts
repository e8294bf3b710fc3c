import { redactUrl } from '@cqrs/core';
import { isInMemoryUrl } from '../registry/create-schema-registry';
import { resolveRegistryUrl, type SchemaRegistryConfig } from '../registry/schema-registry-config';
import { confluentClientConfig } from './confluent-client-config';
import { ConfluentSchemaRegistry } from './confluent-schema-registry';

/**
 * A `SchemaRegistry` over `@confluentinc/schemaregistry` (an optional peer dependency: install
 * it to use this) from the same config `createSchemaRegistry` takes: its `SchemaRegistryClient`
 * for an HTTP URL, its `MockClient` for `mem://`. The library is imported on the first request,
 * and only its client module, not the KMS drivers its index pulls in.
 *
 * ```ts
 * import { createConfluentSchemaRegistry } from '@cqrs/protobuf/confluent';
 * const registry = createConfluentSchemaRegistry({ url: 'https://registry.example.com' });
 * ```
 */
export function createConfluentSchemaRegistry(config: SchemaRegistryConfig = {}): ConfluentSchemaRegistry {
  const url = resolveRegistryUrl(config);
  if (isInMemoryUrl(url)) {
    return new ConfluentSchemaRegistry(async () => {
      const { MockClient } = await import('@confluentinc/schemaregistry/dist/mock-schemaregistry-client.js');
      return new MockClient({ baseURLs: [url] });
    }, url);
  }
  const clientConfig = confluentClientConfig(config, url);
  return new ConfluentSchemaRegistry(async () => {
    const { SchemaRegistryClient } = await import('@confluentinc/schemaregistry/dist/schemaregistry-client.js');
    return new SchemaRegistryClient(clientConfig);
  }, redactUrl(url));
}
