import { SchemaRegistryError } from '../errors/protobuf-errors';
import { incompatibilities } from '../schema/proto-fields';
import type { CompatibilityResult, RegisteredSchema, RegistrySchema, SchemaById, SchemaRegistry } from './schema-registry';

/** One stored schema: what was registered and its id. */
interface Stored {
  readonly id: number;
  readonly schema: RegistrySchema;
}

function keyOf(schema: RegistrySchema): string {
  return JSON.stringify([schema.schema, schema.references.map((ref) => [ref.name, ref.subject, ref.version])]);
}

/**
 * A schema registry held in memory, for unit tests and for examples that run with no server.
 * It behaves as Confluent's does where the serde can tell: ids start at 1 and belong to the
 * content (the same schema under two subjects has one id), registering a schema a subject has
 * is a no-op, versions count from 1. `normalize` is accepted and ignored: schemas match when
 * their text and references are equal. Its compatibility check compares field numbers and
 * types of the latest version with the candidate (the real registry's rules are richer).
 */
export class InMemorySchemaRegistry implements SchemaRegistry {
  readonly description: string;
  readonly #byContent = new Map<string, Stored>();
  readonly #byId: Stored[] = [];
  readonly #subjects = new Map<string, Stored[]>();

  constructor(name = 'mem://') {
    this.description = name;
  }

  #notFound(what: string, registryCode: number, detail: string): SchemaRegistryError {
    return new SchemaRegistryError(`schema registry ${this.description}: ${what} failed: HTTP 404 (error ${registryCode}): ${detail}`, { status: 404, registryCode });
  }

  #registered(subject: string, versions: readonly Stored[], index: number): RegisteredSchema {
    const stored = versions[index]!;
    return { ...stored.schema, id: stored.id, subject, version: index + 1 };
  }

  async register(subject: string, schema: RegistrySchema): Promise<number> {
    const key = keyOf(schema);
    let stored = this.#byContent.get(key);
    if (stored === undefined) {
      stored = { id: this.#byId.length + 1, schema: { schema: schema.schema, schemaType: schema.schemaType, references: [...schema.references] } };
      this.#byContent.set(key, stored);
      this.#byId.push(stored);
    }
    const versions = this.#subjects.get(subject) ?? [];
    if (!versions.includes(stored)) versions.push(stored);
    this.#subjects.set(subject, versions);
    return stored.id;
  }

  async lookup(subject: string, schema: RegistrySchema): Promise<RegisteredSchema | undefined> {
    const versions = this.#subjects.get(subject);
    const stored = this.#byContent.get(keyOf(schema));
    const index = versions === undefined || stored === undefined ? -1 : versions.indexOf(stored);
    return index < 0 ? undefined : this.#registered(subject, versions!, index);
  }

  async latest(subject: string): Promise<RegisteredSchema> {
    const versions = this.#subjects.get(subject);
    if (versions === undefined || versions.length === 0) throw this.#notFound(`fetching the latest schema of subject ${subject}`, 40401, `subject ${subject} not found`);
    return this.#registered(subject, versions, versions.length - 1);
  }

  async getById(id: number): Promise<SchemaById> {
    const stored = this.#byId[id - 1];
    if (stored === undefined) throw this.#notFound(`fetching schema id ${id}`, 40403, `schema ${id} not found`);
    return stored.schema;
  }

  async testCompatibility(subject: string, schema: RegistrySchema): Promise<CompatibilityResult> {
    const versions = this.#subjects.get(subject);
    // Like Confluent: nothing registered yet means anything goes.
    if (versions === undefined || versions.length === 0) return { compatible: true, messages: [] };
    const messages = incompatibilities(versions[versions.length - 1]!.schema.schema, schema.schema);
    return { compatible: messages.length === 0, messages };
  }

  /** Keeps the schemas: other holders of the same `mem://` registry still use them. */
  async close(): Promise<void> {}
}
