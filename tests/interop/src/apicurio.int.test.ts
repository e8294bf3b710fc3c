// What Apicurio's Confluent API (ccompat v7) does with Protobuf schemas that Python and
// TypeScript services share. These tests pin Apicurio's known wrong answers: when a newer
// Apicurio fixes one, its test fails, and docs/protobuf.md ("Apicurio and format=serialized")
// is to be updated.
import { clone, toBinary, type DescFile } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, type DescriptorProto } from '@bufbuild/protobuf/wkt';
import { ProtobufDeserializer, SchemaRegistryClient, SerdeType } from '@confluentinc/schemaregistry';
import { messageFromEvent } from '@cqrs/core';
import { OrderCreatedSchema } from '@cqrs/example-protos';
import { ProtobufValueSerializer, printProto, readFrameHeader, type FrameHeader } from '@cqrs/protobuf';
import { unique } from '@cqrs/test-fixtures';
import { createTopic, publish, services } from './kafka';
import { OrderCreatedEvent, orderEvent, protoJson } from './order-events';
import { runPeer } from './python-peer';

jest.setTimeout(120_000);


/** The `.proto` text our serializer registers by default, as the registry stored it. */
function printedText(file: DescFile): string {
  return printProto(file.proto);
}

interface Registered {
  readonly schema_id: number;
}

interface Consumed {
  readonly messages: readonly { readonly message: Record<string, unknown>; readonly registry_message?: unknown; readonly registry_error?: string }[];
}

/** The schema id our serializer writes for an `OrderCreatedEvent` on `topic`, registering as it does by default. */
async function ourSchemaId(topic: string): Promise<number> {
  const encoded = await new ProtobufValueSerializer({ registry: { url: services.registryUrl } }).serialize(messageFromEvent(orderEvent(OrderCreatedEvent, topic, 0)));
  return (readFrameHeader(encoded.value) as FrameHeader).schemaId;
}

async function serialized(id: number): Promise<{ status: number; body: string }> {
  const response = await fetch(`${services.registryUrl}/schemas/ids/${id}?format=serialized`);
  return { status: response.status, body: await response.text() };
}

describe('Apicurio: GET /schemas/ids/{id}?format=serialized for Protobuf', () => {
  test('a schema confluent-kafka registered (base64 descriptor) is answered with HTTP 500; a fixed Apicurio fails this test', async () => {
    const { schema_id: id } = await runPeer<Registered>('register', { registry: services.registryUrl, topic: unique('interop-apicurio-b64'), type: 'OrderCreated' });
    const answer = await serialized(id);
    expect(answer.status).toBe(500);
    expect(answer.body).toMatch(/Syntax error/);
  });

  test('a schema we registered (text) is answered with the raw descriptor bytes as a JSON string, not base64; a fixed Apicurio fails this test', async () => {
    const id = await ourSchemaId(unique('interop-apicurio-text'));
    const answer = await serialized(id);
    expect(answer.status).toBe(200);
    const { schema } = JSON.parse(answer.body) as { schema: string };
    expect(schema).toContain('cqrs.interop.v1');
    expect(schema).toContain('google/protobuf/timestamp.proto');
    expect(schema).not.toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
  });

  test("so confluent-kafka's registry-backed ProtobufDeserializer fails on both, and the one without a registry (and ours) reads them", async () => {
    const fromPython = unique('interop-apicurio-py');
    const fromUs = unique('interop-apicurio-ts');
    await Promise.all([createTopic(fromPython), createTopic(fromUs)]);
    const events = { [fromPython]: orderEvent(OrderCreatedEvent, fromPython, 1), [fromUs]: orderEvent(OrderCreatedEvent, fromUs, 2) };
    await runPeer('confluent-produce', { brokers: services.brokers, registry: services.registryUrl, topic: fromPython, type: 'OrderCreated', messages: [protoJson(events[fromPython]!)] });
    await publish([events[fromUs]!], new ProtobufValueSerializer({ registry: { url: services.registryUrl } }));
    for (const topic of [fromPython, fromUs]) {
      const event = events[topic]!;
      // Apicurio answers one of them with HTTP 500, which confluent-kafka retries with backoff: no retries, so only the answer counts.
      const { messages } = await runPeer<Consumed>('confluent-consume', { brokers: services.brokers, registry: services.registryUrl, topic, type: 'OrderCreated', count: 1, try_registry: true, registry_retries: 0 });
      expect(messages).toHaveLength(1);
      expect(messages[0]!.message).toEqual(protoJson(event));
      expect(messages[0]!.registry_message).toBeUndefined();
      // Python's base64 schema: Apicurio's HTTP 500; our text schema: bytes that are not base64.
      expect(messages[0]!.registry_error).toMatch(topic === fromPython ? /^SchemaRegistryError: .*Syntax error/ : /Error/);
    }
  });
});

/** Asks the registry whether `schema` is a version of `subject` (Confluent's lookup), with `normalize=true`. */
async function lookup(subject: string, schema: string): Promise<{ status: number; id?: number }> {
  const response = await fetch(`${services.registryUrl}/subjects/${subject}?normalize=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schemaType: 'PROTOBUF', schema }),
  });
  const body = (await response.json()) as { id?: number };
  return { status: response.status, ...(body.id === undefined ? {} : { id: body.id }) };
}

test("Confluent's JavaScript ProtobufDeserializer fails on Apicurio with either schemaFormat of ours; a fixed Apicurio fails this test", async () => {
  const client = new SchemaRegistryClient({ baseURLs: [services.registryUrl] });
  const confluent = new ProtobufDeserializer(client, SerdeType.VALUE, {});
  for (const schemaFormat of ['text', 'serialized'] as const) {
    const topic = unique(`interop-apicurio-js-${schemaFormat}`);
    const encoded = await new ProtobufValueSerializer({ registry: { url: services.registryUrl }, schemaFormat }).serialize(messageFromEvent(orderEvent(OrderCreatedEvent, topic, 3)));
    const error = await confluent.deserialize(topic, Buffer.from(encoded.value)).then(() => undefined, (caught: unknown) => caught);
    // text: the raw descriptor bytes read as base64 give garbage; serialized: Apicurio's HTTP 500.
    expect(String(error)).toMatch(schemaFormat === 'text' ? /wire type/ : /Syntax error in OrderCreated\.proto/);
  }
});

describe('one schema, one id', () => {
  test("Apicurio's lookup matches the bytes confluent-kafka sends, not the schema: text and protobuf-es descriptors are not found, even normalized", async () => {
    const topic = unique('interop-lookup');
    const { schema_id: python } = await runPeer<Registered>('register', { registry: services.registryUrl, topic, type: 'OrderCreated' });
    const file = OrderCreatedSchema.file;
    const withJsonNames = clone(FileDescriptorProtoSchema, file.proto);
    const withoutJsonNames = clone(FileDescriptorProtoSchema, file.proto);
    const strip = (message: DescriptorProto): void => {
      for (const field of message.field) field.jsonName = undefined as unknown as string;
      message.nestedType.forEach(strip);
    };
    withoutJsonNames.messageType.forEach(strip);
    const base64 = (proto: typeof withJsonNames): string => Buffer.from(toBinary(FileDescriptorProtoSchema, proto)).toString('base64');
    // What our serializer sends by default, and what protobuf-es's descriptor is as base64.
    expect(await lookup(`${topic}-value`, printedText(file))).toEqual({ status: 404 });
    expect(await lookup(`${topic}-value`, base64(withJsonNames))).toEqual({ status: 404 });
    // The descriptor without json_name is byte for byte what Python's protoc output embeds.
    expect(await lookup(`${topic}-value`, base64(withoutJsonNames))).toEqual({ status: 200, id: python });
  });

  test('a schema confluent-kafka registered and the same schema our serializer uses resolve to one schema id', async () => {
    const topic = unique('interop-one-id');
    const { schema_id: python } = await runPeer<Registered>('register', { registry: services.registryUrl, topic, type: 'OrderCreated' });
    expect(await ourSchemaId(topic)).toBe(python);
    const versions = (await (await fetch(`${services.registryUrl}/subjects/${topic}-value/versions`)).json()) as number[];
    expect(versions).toEqual([1]);
  });
});
