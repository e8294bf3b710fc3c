import type { DescFile } from '@bufbuild/protobuf';
import type { SchemaReference, SchemaRegistry } from '../registry/schema-registry';
import { referencedFiles, registrySchema, type SchemaFormat } from '../schema/registry-schema';

/** How the serializer finds the id of a schema. */
export interface SchemaIdOptions {
  /** Register schemas that are not in the registry yet; true by default. */
  readonly autoRegister: boolean;
  /** With `autoRegister` off: use the subject's latest id instead of this exact schema's id. */
  readonly useLatestVersion: boolean;
  readonly format: SchemaFormat;
  readonly normalize: boolean;
}

/**
 * Finds schema ids with one registry round trip per (subject, file) per process: results are
 * cached, concurrent first calls share one in-flight request, and a failed request is
 * forgotten so the next call tries again. Imported files are registered first under their own
 * file name as subject and referenced by version, as Confluent's serializers do.
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
    const { autoRegister, useLatestVersion, normalize } = this.#options;
    if (!autoRegister && useLatestVersion) return (await this.#registry.latest(subject)).id;
    const schema = registrySchema(file, this.#options.format, await this.#referencesOf(file));
    return autoRegister ? this.#registry.register(subject, schema, normalize) : this.#registry.lookupId(subject, schema, normalize);
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
    const schema = registrySchema(file, this.#options.format, await this.#referencesOf(file));
    const { autoRegister, normalize } = this.#options;
    if (autoRegister) await this.#registry.register(subject, schema, normalize);
    const version = await this.#registry.lookupVersion(subject, schema, normalize);
    return { name: file.proto.name, subject, version };
  }
}
