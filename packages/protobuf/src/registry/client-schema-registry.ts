import type { Client, SchemaInfo } from '@confluentinc/schemaregistry';
import { toRegistryError } from './registry-error';
import type { CompatibilityResult, RegisteredSchema, RegistrySchema, SchemaById, SchemaRegistry, SchemaReference } from './schema-registry';

function toInfo(schema: RegistrySchema): SchemaInfo {
  return { schema: schema.schema, schemaType: schema.schemaType, references: schema.references.map((ref) => ({ ...ref })) };
}

function references(info: SchemaInfo): SchemaReference[] {
  return (info.references ?? []).map((ref) => ({ name: ref.name, subject: ref.subject, version: ref.version }));
}

/**
 * A `SchemaRegistry` over a client of `@confluentinc/schemaregistry` (its HTTP
 * `SchemaRegistryClient` or its in-memory `MockClient`). The client is created on first use,
 * so importing this package does not load the Confluent library and its KMS drivers.
 */
export class ClientSchemaRegistry implements SchemaRegistry {
  readonly description: string;
  readonly #create: () => Promise<Client>;
  #client: Promise<Client> | undefined;

  /** `create` makes the client; it runs once, on the first request. */
  constructor(create: () => Promise<Client>, description: string) {
    this.#create = create;
    this.description = description;
  }

  /** The underlying Confluent client, e.g. to build Confluent's own serdes over the same registry. */
  client(): Promise<Client> {
    this.#client ??= this.#create().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    return this.#client;
  }

  async #call<T>(what: string, run: (client: Client) => Promise<T>): Promise<T> {
    try {
      return await run(await this.client());
    } catch (error) {
      throw toRegistryError(error, what, this.description);
    }
  }

  register(subject: string, schema: RegistrySchema, normalize = false): Promise<number> {
    return this.#call(`registering a schema under subject ${subject}`, (client) => client.register(subject, toInfo(schema), normalize));
  }

  lookupId(subject: string, schema: RegistrySchema, normalize = false): Promise<number> {
    return this.#call(`looking up the schema id under subject ${subject}`, (client) => client.getId(subject, toInfo(schema), normalize));
  }

  lookupVersion(subject: string, schema: RegistrySchema, normalize = false): Promise<number> {
    return this.#call(`looking up the schema version under subject ${subject}`, (client) => client.getVersion(subject, toInfo(schema), normalize, false));
  }

  latest(subject: string): Promise<RegisteredSchema> {
    return this.#call(`fetching the latest schema of subject ${subject}`, async (client) => {
      const meta = await client.getLatestSchemaMetadata(subject);
      return {
        id: meta.id ?? -1,
        subject,
        version: meta.version ?? -1,
        schema: meta.schema,
        schemaType: 'PROTOBUF',
        references: references(meta),
      };
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
    if (opened !== undefined) await Promise.resolve(opened.close() as unknown);
  }
}
