/**
 * The part of `@confluentinc/schemaregistry`'s `Client` the adapter calls, written out here so
 * that no declaration of this package names a type of that optional dependency (its own types
 * do not compile with `skipLibCheck: false`). Its `SchemaRegistryClient` and `MockClient` fit.
 */
export interface ConfluentClient {
  register(subject: string, schema: ConfluentSchemaInfo, normalize: boolean): Promise<number>;
  getIdFullResponse(subject: string, schema: ConfluentSchemaInfo, normalize: boolean): Promise<ConfluentSchemaMetadata>;
  getVersion(subject: string, schema: ConfluentSchemaInfo, normalize: boolean, deleted: boolean): Promise<number>;
  getLatestSchemaMetadata(subject: string): Promise<ConfluentSchemaMetadata>;
  getBySubjectAndId(subject: string, id: number): Promise<ConfluentSchemaInfo>;
  testSubjectCompatibility(subject: string, schema: ConfluentSchemaInfo): Promise<boolean>;
  close(): unknown;
}

/** Confluent's `SchemaInfo`, the fields the adapter uses. */
export interface ConfluentSchemaInfo {
  schema: string;
  schemaType?: string;
  references?: { name: string; subject: string; version: number }[];
}

/** Confluent's `SchemaMetadata`, the fields the adapter uses. */
export interface ConfluentSchemaMetadata extends ConfluentSchemaInfo {
  id?: number;
  subject?: string;
  version?: number;
}

/** Confluent's `ClientConfig`, the fields `confluentClientConfig` fills in. */
export interface ConfluentClientConfig {
  baseURLs: string[];
  maxRetries: number;
  retriesWaitMs: number;
  retriesMaxWaitMs: number;
  createAxiosDefaults: { timeout: number; headers: Record<string, string>; httpsAgent?: unknown };
  basicAuthCredentials?: { credentialsSource: 'USER_INFO'; userInfo: string };
}
