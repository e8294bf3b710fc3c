import { SchemaRegistryError } from '../errors/protobuf-errors';
import { RegistryHttp } from './registry-http';
import type { CompatibilityResult, RegisteredSchema, RegistrySchema, SchemaById, SchemaReference, SchemaRegistry } from './schema-registry';
import type { SchemaRegistryConfig } from './schema-registry-config';

/** What the registry answers about one schema; fields absent in some answers are optional. */
interface SchemaAnswer {
  readonly id?: unknown;
  readonly subject?: unknown;
  readonly version?: unknown;
  readonly schema?: unknown;
  readonly schemaType?: unknown;
  readonly references?: unknown;
}

function segment(subject: string): string {
  return encodeURIComponent(subject);
}

function normalizeQuery(normalize: boolean | undefined): string {
  return normalize === true ? '?normalize=true' : '';
}

function referencesOf(answer: SchemaAnswer): SchemaReference[] {
  if (!Array.isArray(answer.references)) return [];
  return (answer.references as { name?: unknown; subject?: unknown; version?: unknown }[]).map((ref) => ({ name: String(ref.name), subject: String(ref.subject), version: Number(ref.version) }));
}

function body(schema: RegistrySchema): object {
  return { schema: schema.schema, schemaType: schema.schemaType, references: schema.references.map((ref) => ({ name: ref.name, subject: ref.subject, version: ref.version })) };
}

/**
 * The default client of a Confluent-compatible registry (Confluent Schema Registry, Apicurio's
 * `ccompat` API, Redpanda, Karapace) over Node's `fetch`: the endpoints the serde and the
 * compatibility check use, no cache of its own (the serde caches), no dependency.
 */
export class HttpSchemaRegistry implements SchemaRegistry {
  readonly description: string;
  readonly #http: RegistryHttp;

  /** `option` names where `url` came from, for the error a malformed URL gives. */
  constructor(config: SchemaRegistryConfig, url: string, option = 'url') {
    this.#http = new RegistryHttp(config, url, option);
    this.description = this.#http.description;
  }

  #answer(raw: unknown, what: string): SchemaAnswer {
    if (typeof raw !== 'object' || raw === null) throw new SchemaRegistryError(`schema registry ${this.description}: ${what} failed: the answer is not a JSON object`);
    return raw;
  }

  #registered(raw: unknown, subject: string, what: string): RegisteredSchema {
    const answer = this.#answer(raw, what);
    return {
      id: Number(answer.id),
      subject: typeof answer.subject === 'string' ? answer.subject : subject,
      version: Number(answer.version),
      schema: typeof answer.schema === 'string' ? answer.schema : '',
      schemaType: 'PROTOBUF',
      references: referencesOf(answer),
    };
  }

  async register(subject: string, schema: RegistrySchema, normalize?: boolean): Promise<number> {
    const what = `registering a schema under subject ${subject}`;
    const { body: answer } = await this.#http.request('POST', `/subjects/${segment(subject)}/versions${normalizeQuery(normalize)}`, what, body(schema));
    return Number(this.#answer(answer, what).id);
  }

  async lookup(subject: string, schema: RegistrySchema, normalize?: boolean): Promise<RegisteredSchema | undefined> {
    const what = `looking up a schema under subject ${subject}`;
    let answer;
    try {
      answer = await this.#http.request('POST', `/subjects/${segment(subject)}${normalizeQuery(normalize)}`, what, body(schema));
    } catch (error) {
      // 404 with 40401 (no such subject) or 40403 (no such schema) is an answer; a 404 without a code is a wrong URL.
      const code = error instanceof SchemaRegistryError ? error.registryCode : undefined;
      if (code === 40401 || code === 40403) return undefined;
      throw error;
    }
    return this.#registered(answer.body, subject, what);
  }

  async latest(subject: string): Promise<RegisteredSchema> {
    const what = `fetching the latest schema of subject ${subject}`;
    return this.#registered((await this.#http.request('GET', `/subjects/${segment(subject)}/versions/latest`, what)).body, subject, what);
  }

  async getById(id: number): Promise<SchemaById> {
    const what = `fetching schema id ${id}`;
    const answer = this.#answer((await this.#http.request('GET', `/schemas/ids/${id}`, what)).body, what);
    // Confluent leaves schemaType out for Avro.
    return { schema: typeof answer.schema === 'string' ? answer.schema : '', schemaType: typeof answer.schemaType === 'string' ? answer.schemaType : 'AVRO', references: referencesOf(answer) };
  }

  async testCompatibility(subject: string, schema: RegistrySchema): Promise<CompatibilityResult> {
    const what = `checking compatibility with subject ${subject}`;
    const { body: raw } = await this.#http.request('POST', `/compatibility/subjects/${segment(subject)}/versions/latest?verbose=true`, what, body(schema));
    const answer = (raw ?? {}) as { is_compatible?: unknown; messages?: unknown };
    const compatible = answer.is_compatible === true;
    const messages = Array.isArray(answer.messages) ? answer.messages.map(String) : [];
    return { compatible, messages: compatible || messages.length > 0 ? messages : [`the registry reports the schema incompatible with the latest version of ${subject}`] };
  }

  async close(): Promise<void> {
    this.#http.close();
  }
}
