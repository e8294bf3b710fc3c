// `@cqrs/protobuf/confluent`: the registry over `@confluentinc/schemaregistry`, an optional peer.
export type { ConfluentClient, ConfluentClientConfig, ConfluentSchemaInfo, ConfluentSchemaMetadata } from './confluent-client';
export { confluentClientConfig } from './confluent-client-config';
export { confluentRegistryError } from './confluent-registry-error';
export { ConfluentSchemaRegistry } from './confluent-schema-registry';
export { createConfluentSchemaRegistry } from './create-confluent-schema-registry';
