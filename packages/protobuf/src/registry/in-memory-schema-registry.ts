import { incompatibilities } from '../schema/proto-fields';
import { ClientSchemaRegistry } from './client-schema-registry';
import { toRegistryError } from './registry-error';
import type { CompatibilityResult, RegistrySchema } from './schema-registry';

/**
 * A schema registry held in memory: `@confluentinc/schemaregistry`'s `MockClient` behind the
 * `SchemaRegistry` interface, for unit tests and for examples that run with no server. Ids
 * start at 1 and are per instance. Its compatibility check compares field numbers and types of
 * the latest version with the candidate (the real registry's rules are richer).
 */
export class InMemorySchemaRegistry extends ClientSchemaRegistry {
  constructor(name = 'mem://') {
    super(async () => {
      const { MockClient } = await import('@confluentinc/schemaregistry/dist/mock-schemaregistry-client.js');
      return new MockClient({ baseURLs: [name] });
    }, name);
  }

  override async testCompatibility(subject: string, schema: RegistrySchema): Promise<CompatibilityResult> {
    let latest: string;
    try {
      latest = (await (await this.client()).getLatestSchemaMetadata(subject)).schema;
    } catch (error) {
      const registryError = toRegistryError(error, `checking compatibility with subject ${subject}`, this.description);
      // Like Confluent: nothing registered yet means anything goes.
      if (registryError.status === 404) return { compatible: true, messages: [] };
      throw registryError;
    }
    const messages = incompatibilities(latest, schema.schema);
    return { compatible: messages.length === 0, messages };
  }

  /** Keeps the schemas: other holders of the same `mem://` registry still use them. */
  override async close(): Promise<void> {}
}
