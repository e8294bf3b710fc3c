// Twin of the reference's "Schema Registry Configuration": the registry URL comes from
// KAFKA_SCHEMA_REGISTRY_URL (default http://localhost:8085) and the default
// `protobufValueSerializer` reads it when the first message is serialized, registering the
// schema once under `<topic>-value`. With no URL set this example uses `mem://`, an in-memory
// registry, so it runs with no server; set the variable to use a real one:
//
//   KAFKA_SCHEMA_REGISTRY_URL=http://127.0.0.1:8085/apis/ccompat/v7 node dist/protobuf/schema-registry-configuration.js
import { InMemoryConsumer, InMemoryMessageBroker, messageFromEvent, redactUrl } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { ProtobufValueDeserializer, protobufValueSerializer, readFrameHeader, resolveRegistryUrl } from '@cqrs/protobuf';
import { PROTO_TOPIC, UserCreatedProtoEvent } from './events';

/** What the example did, for its test. */
export interface RegistryConfigurationSummary {
  readonly registryUrl: string;
  readonly schemaIds: readonly number[];
  readonly received: readonly string[];
}

export async function main(): Promise<RegistryConfigurationSummary> {
  // Set schema registry URL (defaults to http://localhost:8085); mem:// when none is given here.
  process.env.KAFKA_SCHEMA_REGISTRY_URL ??= 'mem://schema-registry';
  const registryUrl = resolveRegistryUrl();
  console.log(`schema registry: ${redactUrl(registryUrl)}`);

  // The protobufValueSerializer automatically uses the Schema Registry.
  const broker = new InMemoryMessageBroker({ valueSerializer: protobufValueSerializer });
  const consumer = new InMemoryConsumer({ broker });
  const received: string[] = [];
  consumer.subscribe(
    { topics: [PROTO_TOPIC], valueDeserializer: new ProtobufValueDeserializer({ model: UserCreatedProtoEvent, protobufModel: UserCreatedSchema }) },
    async (body, msg) => {
      if (body instanceof UserCreatedProtoEvent) received.push(body.payload.userId);
      await msg.ack();
    },
  );
  await consumer.start();
  for (const userId of ['1', '2', '3']) {
    await broker.sendMessage(messageFromEvent(new UserCreatedProtoEvent({ eventName: 'user_created', topic: PROTO_TOPIC, payload: { userId, email: `user${userId}@example.com`, name: `User ${userId}` } })));
  }
  await consumer.idle();
  await consumer.stop();

  const schemaIds = broker.records(PROTO_TOPIC).map((record) => {
    const header = readFrameHeader(record.value ?? new Uint8Array(0));
    return 'schemaId' in header ? header.schemaId : -1;
  });
  console.log(`3 events under subject ${PROTO_TOPIC}-value, schema ids ${schemaIds.join(', ')}: registered once, cached after`);
  console.log(`received users ${received.join(', ')}`);
  return { registryUrl, schemaIds, received };
}

if (require.main === module) void main();
