import type { DescFile } from '@bufbuild/protobuf';
import { SchemaRegistryError } from '../errors/protobuf-errors';
import type { RegisteredSchema, RegistrySchema, SchemaReference, SchemaRegistry } from '../registry/schema-registry';
import { equivalentSchemas, referencedFiles, registrySchema, type SchemaFormat } from '../schema/registry-schema';

/** How the serializer finds the id of a schema [Confluent's serializer options]. */
export interface SchemaIdOptions {
  /** Register schemas the subject has no equivalent of; true by default [auto.register.schemas]. */
  readonly autoRegister: boolean;
  /** Use the subject's latest version, whatever it is; needs `autoRegister` off [use.latest.version]. */
  readonly useLatestVersion: boolean;
  readonly format: SchemaFormat;
  /** Ask the registry to normalize the schema it registers [normalize.schemas]. */
  readonly normalize: boolean;
}

/**
 * Finds schema ids with a fixed number of registry round trips per (subject, file) per process,
 * never per message: results are cached, concurrent first calls share one in-flight request,
 * and a failed request is forgotten so the next call tries again. Before registering, the
 * subject is searched (`POST /subjects/{subject}?normalize=true`) for the schema in each form
 * other producers write it in, so a schema a Python or Java service registered keeps its one
 * id. Imported files are handled first under their own file name as subject and referenced by
 * version, as Confluent's serializers do.
 */
export class SchemaIds {
  readonly #registry: SchemaRegistry;
  readonly #options: SchemaIdOptions;
  readonly #ids = new Map<string, Map<DescFile, Promise<number>>>();
  readonly #references = new Map<DescFile, Promise<SchemaReference>>();

  constructor(registry: SchemaRegistry, options: SchemaIdOptions) {
    this.#registry = registry;
    this.#options = options;
  }

  /** The id of `file` under `subject`. */
  idOf(subject: string, file: DescFile): Promise<number> {
    let bySubject = this.#ids.get(subject);
    if (bySubject === undefined) {
      bySubject = new Map();
      this.#ids.set(subject, bySubject);
    }
    let id = bySubject.get(file);
    if (id === undefined) {
      id = this.#fetchId(subject, file);
      bySubject.set(file, id);
      const cache = bySubject;
      id.catch(() => cache.delete(file));
    }
    return id;
  }

  async #fetchId(subject: string, file: DescFile): Promise<number> {
    if (this.#options.useLatestVersion) return (await this.#registry.latest(subject)).id;
    const references = await this.#referencesOf(file);
    const found = await this.#find(subject, file, references);
    if (found !== undefined) return found.id;
    const schema = registrySchema(file, this.#options.format, references);
    if (!this.#options.autoRegister) throw this.#unregistered(subject, file);
    return this.#registry.register(subject, schema, this.#options.normalize);
  }

  /** The version of `subject` equivalent to `file`, trying each form in turn. */
  async #find(subject: string, file: DescFile, references: readonly SchemaReference[]): Promise<RegisteredSchema | undefined> {
    for (const candidate of equivalentSchemas(file, this.#options.format, references)) {
      const found = await this.#registry.lookup(subject, candidate, true);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  #unregistered(subject: string, file: DescFile): SchemaRegistryError {
    return new SchemaRegistryError(
      `schema registry ${this.#registry.description}: ${file.proto.name} is not registered under subject ${subject} and autoRegister is off: register it first (e.g. in CI), or set useLatestVersion`,
      { status: 404, registryCode: 40403, retriable: false },
    );
  }

  #referencesOf(file: DescFile): Promise<SchemaReference[]> {
    return Promise.all(referencedFiles(file).map((dependency) => this.#reference(dependency)));
  }

  #reference(file: DescFile): Promise<SchemaReference> {
    let reference = this.#references.get(file);
    if (reference === undefined) {
      reference = this.#fetchReference(file);
      this.#references.set(file, reference);
      reference.catch(() => this.#references.delete(file));
    }
    return reference;
  }

  async #fetchReference(file: DescFile): Promise<SchemaReference> {
    const subject = file.proto.name;
    const references = await this.#referencesOf(file);
    let found = await this.#find(subject, file, references);
    if (found === undefined) {
      if (!this.#options.autoRegister) throw this.#unregistered(subject, file);
      const schema: RegistrySchema = registrySchema(file, this.#options.format, references);
      await this.#registry.register(subject, schema, this.#options.normalize);
      found = await this.#registry.lookup(subject, schema, this.#options.normalize);
      if (found === undefined) throw new SchemaRegistryError(`schema registry ${this.#registry.description}: ${subject} was registered but the registry cannot find it`);
    }
    return { name: file.proto.name, subject, version: found.version };
  }
}
