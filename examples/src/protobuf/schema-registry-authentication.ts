// Twin of the reference's "Schema Registry with Authentication": a serializer with its own,
// authenticated registry client (basic auth here; `bearerToken` and `tls` work the same way).
// Unlike the reference, the client and serializer are built once, not per message.
//
// It runs against the in-memory registry unless a URL is given:
//
//   SCHEMA_REGISTRY_AUTH_URL=http://127.0.0.1:8086/apis/ccompat/v7 SCHEMA_REGISTRY_AUTH_USER=registry-user \
//   SCHEMA_REGISTRY_AUTH_PASSWORD=registry-pass node dist/protobuf/schema-registry-authentication.js
import { messageFromEvent, redact } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { createSchemaRegistry, ProtobufValueDeserializer, ProtobufValueSerializer, type SchemaRegistryConfig } from '@cqrs/protobuf';
import { PROTO_TOPIC, UserCreatedProtoEvent } from './events';

/** What the example did, for its test. */
export interface RegistryAuthenticationSummary {
  readonly config: SchemaRegistryConfig;
  readonly registry: string;
  readonly decoded: unknown;
}

/** The registry settings: a real URL from the environment, else the in-memory registry. */
export function registryConfig(env: NodeJS.ProcessEnv = process.env): SchemaRegistryConfig {
  const url = env.SCHEMA_REGISTRY_AUTH_URL ?? env.KAFKA_SCHEMA_REGISTRY_URL;
  return {
    url: url ?? 'mem://authenticated',
    basicAuth: { username: env.SCHEMA_REGISTRY_AUTH_USER ?? 'username', password: env.SCHEMA_REGISTRY_AUTH_PASSWORD ?? 'password' },
    // tls: { ca: readFileSync('ca.pem') } for an https:// registry with a private CA.
  };
}

export async function main(): Promise<RegistryAuthenticationSummary> {
  // Configure the Schema Registry client with authentication.
  const config = registryConfig();
  const registry = createSchemaRegistry(config);
  console.log(`schema registry ${registry.description} with ${JSON.stringify(redact(config.basicAuth))}`);

  // Custom serializer with the authenticated client.
  const serializer = new ProtobufValueSerializer({ registry });
  const event = new UserCreatedProtoEvent({ eventName: 'user_created', topic: `${PROTO_TOPIC}_auth`, payload: { userId: '42', email: 'auth@example.com', name: 'Auth User' } });
  const encoded = await serializer.serialize(messageFromEvent(event));
  const deserializer = new ProtobufValueDeserializer({ model: UserCreatedProtoEvent, protobufModel: UserCreatedSchema, registry });
  const decoded = await deserializer.deserialize(encoded.value, { topic: event.topic });
  if (decoded instanceof UserCreatedProtoEvent) console.log(`round trip through ${registry.description}: ${decoded.payload.email}`);
  await registry.close();
  return { config, registry: registry.description, decoded };
}

if (require.main === module) void main();
