import type { CompatibilityResult, RegisteredSchema, RegistrySchema, SchemaById, SchemaReference, SchemaRegistry } from '../registry/schema-registry';
import type { ConfluentClient, ConfluentSchemaInfo } from './confluent-client';
import { confluentRegistryError } from './confluent-registry-error';

function toInfo(schema: RegistrySchema): ConfluentSchemaInfo {
  return { schema: schema.schema, schemaType: schema.schemaType, references: schema.references.map((ref) => ({ ...ref })) };
}

function references(info: ConfluentSchemaInfo): SchemaReference[] {
  return (info.references ?? []).map((ref) => ({ name: ref.name, subject: ref.subject, version: ref.version }));
}

/**
 * A `SchemaRegistry` over a client of `@confluentinc/schemaregistry` (its HTTP
 * `SchemaRegistryClient` or its in-memory `MockClient`), for teams that need what only that
 * library has (client-side field encryption, its OAuth providers) or share its client with
 * Confluent's own serdes. The client is made on first use.
 *
 * ```ts
 * import { SchemaRegistryClient } from '@confluentinc/schemaregistry';
 * const registry = new ConfluentSchemaRegistry(() => new SchemaRegistryClient({ baseURLs: [url] }), url);
 * ```
 */
export class ConfluentSchemaRegistry implements SchemaRegistry {
  readonly description: string;
  readonly #create: () => ConfluentClient | Promise<ConfluentClient>;
  #client: Promise<ConfluentClient> | undefined;

  /** `create` makes the client; it runs once, on the first request. `description` must hold no credential. */
  constructor(create: () => ConfluentClient | Promise<ConfluentClient>, description: string) {
    this.#create = create;
    this.description = description;
  }

  /** The underlying Confluent client, e.g. to build Confluent's own serdes over the same registry. */
  client(): Promise<ConfluentClient> {
    this.#client ??= Promise.resolve()
      .then(() => this.#create())
      .catch((error: unknown) => {
        this.#client = undefined;
        throw error;
      });
    return this.#client;
  }

  async #call<T>(what: string, run: (client: ConfluentClient) => Promise<T>): Promise<T> {
    try {
      return await run(await this.client());
    } catch (error) {
      throw confluentRegistryError(error, what, this.description);
    }
  }

  register(subject: string, schema: RegistrySchema, normalize = false): Promise<number> {
    return this.#call(`registering a schema under subject ${subject}`, (client) => client.register(subject, toInfo(schema), normalize));
  }

  async lookup(subject: string, schema: RegistrySchema, normalize = false): Promise<RegisteredSchema | undefined> {
    try {
      return await this.#call(`looking up a schema under subject ${subject}`, async (client) => {
        const meta = await client.getIdFullResponse(subject, toInfo(schema), normalize);
        // MockClient's answer carries no version.
        const version = meta.version ?? (await client.getVersion(subject, toInfo(schema), normalize, false));
        return { id: meta.id ?? -1, subject, version, schema: meta.schema, schemaType: 'PROTOBUF' as const, references: references(meta) };
      });
    } catch (error) {
      // 40401 no such subject, 40403 no such schema; MockClient says 40400 for both.
      const { registryCode } = error as { registryCode?: number };
      if (registryCode === 40400 || registryCode === 40401 || registryCode === 40403) return undefined;
      throw error;
    }
  }

  latest(subject: string): Promise<RegisteredSchema> {
    return this.#call(`fetching the latest schema of subject ${subject}`, async (client) => {
      const meta = await client.getLatestSchemaMetadata(subject);
      return { id: meta.id ?? -1, subject, version: meta.version ?? -1, schema: meta.schema, schemaType: 'PROTOBUF', references: references(meta) };
    });
  }

  getById(id: number): Promise<SchemaById> {
    return this.#call(`fetching schema id ${id}`, async (client) => {
      const info = await client.getBySubjectAndId('', id);
      return { schema: info.schema, schemaType: info.schemaType ?? 'AVRO', references: references(info) };
    });
  }

  testCompatibility(subject: string, schema: RegistrySchema): Promise<CompatibilityResult> {
    return this.#call(`checking compatibility with subject ${subject}`, async (client) => {
      const compatible = await client.testSubjectCompatibility(subject, toInfo(schema));
      return { compatible, messages: compatible ? [] : [`the registry reports the schema incompatible with the latest version of ${subject}`] };
    });
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    const opened = await client?.catch(() => undefined);
    // Typed `void` in Confluent's interface, a promise in its HTTP client.
    if (opened !== undefined) await Promise.resolve(opened.close());
  }
}
