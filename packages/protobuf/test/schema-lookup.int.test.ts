import { toBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { messageFromEvent } from '@cqrs/core';
import { file_cqrs_example_v1_user_created, UserCreatedSchema } from '@cqrs/example-protos';
import { UserCreatedEvent, unique } from '@cqrs/test-fixtures';
import { createSchemaRegistry, ProtobufValueDeserializer, ProtobufValueSerializer, readFrameHeader, registrySchema } from '../src';
import { equivalentSchemas } from '../src/schema/registry-schema';
import { userCreated } from './fixtures/events';
import { registryEnv } from './helpers/registry-env';

const env = registryEnv();
const [text, serialized, bare] = equivalentSchemas(file_cqrs_example_v1_user_created, 'text', []);

/** Registers `schema` with a plain HTTP call, as another service would. */
async function registerAsAnotherService(subject: string, schema: string): Promise<number> {
  const response = await fetch(`${env.url}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema, schemaType: 'PROTOBUF' }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: number }).id;
}

describe('one schema, one id, against the real registry (Apicurio ccompat API)', () => {
  const registry = createSchemaRegistry({ url: env.url });
  afterAll(() => registry.close());

  it.each([
    ['the descriptor without json_name (what Confluent\u2019s Python serializer sends)', bare!.schema],
    ['the protobuf-es descriptor (what Confluent\u2019s JavaScript serializer sends)', serialized!.schema],
    ['.proto text with other whitespace and a comment', `// registered by hand\n${text!.schema.replace(/\n/g, '\n\n')}`],
  ])('writes the id of a version registered as %s, adding no version', async (_form, schema) => {
    const topic = unique('it-one-id');
    const subject = `${topic}-value`;
    const theirs = await registerAsAnotherService(subject, schema);
    const serializer = new ProtobufValueSerializer({ registry });
    const encoded = await serializer.serialize(messageFromEvent(userCreated(topic)));
    expect(readFrameHeader(encoded.value)).toMatchObject({ schemaId: theirs });
    expect((await registry.latest(subject)).version).toBe(1);
    const back = await new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry }).deserialize(encoded.value, { topic });
    expect(back).toBeInstanceOf(UserCreatedEvent);
  });

  it('with autoRegister off, uses what CI registered and registers nothing', async () => {
    const topic = unique('it-ci');
    await expect(new ProtobufValueSerializer({ registry, autoRegister: false }).prepare(UserCreatedSchema, topic)).rejects.toMatchObject({ name: 'SchemaRegistryError', status: 404 });
    const id = await registerAsAnotherService(`${topic}-value`, bare!.schema);
    expect(await new ProtobufValueSerializer({ registry, autoRegister: false }).prepare(UserCreatedSchema, topic)).toBe(id);
    expect(await new ProtobufValueSerializer({ registry, useLatestVersion: true }).prepare(UserCreatedSchema, topic)).toBe(id);
  });

  // What Apicurio 3.x does with ?normalize=true for Protobuf: it compares a canonical form of the
  // .proto text (whitespace and comments do not matter, with or without the flag), but never a
  // text against a base64 descriptor. That is why the serializer looks each form up in turn. When
  // this starts failing, a newer Apicurio normalizes across forms and one lookup would do.
  it('Apicurio does not match .proto text with the same file as a base64 descriptor, normalize or not', async () => {
    const subject = `${unique('it-normalize')}-value`;
    await registerAsAnotherService(subject, bare!.schema);
    expect(await registry.lookup(subject, text!, true)).toBeUndefined();
    expect(await registry.lookup(subject, text!, false)).toBeUndefined();
    expect(await registry.lookup(subject, serialized!, true)).toBeUndefined();
    expect(await registry.lookup(subject, bare!, false)).toMatchObject({ version: 1 });
    // And the same content has one id across subjects: the id belongs to the content.
    const other = `${unique('it-normalize')}-value`;
    expect(await registry.register(other, registrySchema(file_cqrs_example_v1_user_created, 'text', []))).toBe(await registry.register(subject, text!));
    expect(Buffer.from(toBinary(FileDescriptorProtoSchema, file_cqrs_example_v1_user_created.proto)).toString('base64')).toBe(serialized!.schema);
  });
});
