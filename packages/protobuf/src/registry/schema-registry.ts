/** A schema another one imports, registered under its own subject [Confluent references]. */
export interface SchemaReference {
  /** The import path, e.g. `cqrs/example/v1/user_created.proto`. */
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/** A Protobuf schema as the registry stores it. */
export interface RegistrySchema {
  /** `.proto` text, or a base64 `FileDescriptorProto` (Confluent's "serialized" form). */
  readonly schema: string;
  readonly schemaType: 'PROTOBUF';
  readonly references: readonly SchemaReference[];
}

/** A schema and where the registry keeps it. */
export interface RegisteredSchema extends RegistrySchema {
  readonly id: number;
  readonly subject: string;
  readonly version: number;
}

/** A registered schema fetched by id; the subject and version are unknown then. */
export interface SchemaById {
  readonly schema: string;
  readonly schemaType: string;
  readonly references: readonly SchemaReference[];
}

/** The registry's verdict on a candidate schema. */
export interface CompatibilityResult {
  readonly compatible: boolean;
  /** Why not, when the registry says so. */
  readonly messages: readonly string[];
}

/**
 * What the Protobuf serde and the compatibility check need from a Confluent-compatible schema
 * registry. Implementations do the HTTP; callers (the serializer and deserializer) keep their
 * own caches so each schema costs one round trip per process.
 */
export interface SchemaRegistry {
  /** Where it is, for messages and logs; never contains credentials. */
  readonly description: string;
  /**
   * Registers `schema` under `subject` (`POST /subjects/{subject}/versions`); returns its id.
   * A schema the subject already has keeps its id. `normalize` asks the registry to normalize first.
   */
  register(subject: string, schema: RegistrySchema, normalize?: boolean): Promise<number>;
  /**
   * The version of `subject` that holds `schema` (`POST /subjects/{subject}`), or `undefined`
   * when the subject or the schema is not there. With `normalize`, a registry that supports it
   * matches an equivalent schema written differently.
   */
  lookup(subject: string, schema: RegistrySchema, normalize?: boolean): Promise<RegisteredSchema | undefined>;
  /** The latest version registered under `subject`. */
  latest(subject: string): Promise<RegisteredSchema>;
  /** The schema with this id. */
  getById(id: number): Promise<SchemaById>;
  /** Whether `schema` could be registered as the next version of `subject`. */
  testCompatibility(subject: string, schema: RegistrySchema): Promise<CompatibilityResult>;
  /** Releases connections. */
  close(): Promise<void>;
}
