import { toBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { ConfigurationError, messageFromEvent } from '@cqrs/core';
import { file_cqrs_example_v1_user_created, UserCreatedSchema, UserDeletedSchema } from '@cqrs/example-protos';
import { InMemorySchemaRegistry, ProtobufValueSerializer, readFrameHeader, registrySchema } from '../src';
import { equivalentSchemas } from '../src/schema/registry-schema';
import { userCreated } from './fixtures/events';
import { startFakeRegistry } from './helpers/fake-registry-server';
import { createSchemaRegistry } from '../src';

/** What protoc embeds for Python and Confluent's Python serializer registers: the descriptor without json_name. */
function pythonForm(): string {
  const copy = structuredClone(file_cqrs_example_v1_user_created.proto);
  const strip = (message: { field: { jsonName?: string }[]; nestedType: unknown[] }): void => {
    for (const field of message.field) delete field.jsonName;
    for (const nested of message.nestedType) strip(nested as typeof message);
  };
  copy.messageType.forEach((message) => strip(message));
  return Buffer.from(toBinary(FileDescriptorProtoSchema, { ...copy, $typeName: 'google.protobuf.FileDescriptorProto' })).toString('base64');
}

describe('one schema, one id', () => {
  it('lists the text, the protobuf-es descriptor and the descriptor without json_name, the chosen format first', () => {
    const text = equivalentSchemas(file_cqrs_example_v1_user_created, 'text', []);
    expect(text.map((schema) => schema.schema)).toEqual([
      registrySchema(file_cqrs_example_v1_user_created, 'text', []).schema,
      registrySchema(file_cqrs_example_v1_user_created, 'serialized', []).schema,
      pythonForm(),
    ]);
    expect(equivalentSchemas(file_cqrs_example_v1_user_created, 'serialized', [])[0]).toEqual(registrySchema(file_cqrs_example_v1_user_created, 'serialized', []));
  });

  it.each([
    ['another service registered the .proto text', () => registrySchema(file_cqrs_example_v1_user_created, 'text', []).schema],
    ['a Python service registered its descriptor', pythonForm],
  ])('uses the id of the version it finds when %s, registering nothing', async (_case, form) => {
    const server = await startFakeRegistry({ delayMs: 1, withQuery: true });
    try {
      server.seed('placeholder', 'x');
      const id = server.seed('orders-value', form());
      expect(id).toBe(2);
      const serializer = new ProtobufValueSerializer({ registry: createSchemaRegistry({ url: server.url }) });
      const encoded = await serializer.serialize(messageFromEvent(userCreated('orders')));
      expect(readFrameHeader(encoded.value)).toMatchObject({ schemaId: id });
      expect(server.requests.every((request) => request.startsWith('POST /subjects/orders-value?normalize=true'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('with autoRegister off, fails without registering when the subject has no equivalent', async () => {
    const server = await startFakeRegistry({ delayMs: 1 });
    try {
      const serializer = new ProtobufValueSerializer({ registry: createSchemaRegistry({ url: server.url }), autoRegister: false });
      const failure = serializer.serialize(messageFromEvent(userCreated('ci')));
      await expect(failure).rejects.toMatchObject({ name: 'SchemaRegistryError', status: 404, retriable: false });
      await expect(failure).rejects.toThrow(/cqrs\/example\/v1\/user_created\.proto is not registered under subject ci-value and autoRegister is off/);
      expect(server.requests.some((request) => request.endsWith('/versions'))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('looks imports up too, and registers them only when missing', async () => {
    const registry = new InMemorySchemaRegistry();
    const imported = registrySchema(file_cqrs_example_v1_user_created, 'text', []);
    await registry.register('cqrs/example/v1/user_created.proto', imported);
    await registry.register('cqrs/example/v1/user_created.proto', { ...imported, schema: `${imported.schema}\n// v2` });
    const register = jest.spyOn(registry, 'register');
    await new ProtobufValueSerializer({ registry }).prepare(UserDeletedSchema, 'deleted');
    expect(register.mock.calls.map(([subject]) => subject)).toEqual(['deleted-value']);
    expect((await registry.latest('deleted-value')).references).toEqual([{ name: 'cqrs/example/v1/user_created.proto', subject: 'cqrs/example/v1/user_created.proto', version: 1 }]);
  });

  it('useLatestVersion writes the latest id and refuses autoRegister alongside', async () => {
    const registry = new InMemorySchemaRegistry();
    await registry.register('latest-value', { schema: 'a newer schema', schemaType: 'PROTOBUF', references: [] });
    const latestId = await registry.register('latest-value', { schema: 'the newest schema', schemaType: 'PROTOBUF', references: [] });
    expect(await new ProtobufValueSerializer({ registry, useLatestVersion: true }).prepare(UserCreatedSchema, 'latest')).toBe(latestId);
    expect(() => new ProtobufValueSerializer({ registry, useLatestVersion: true, autoRegister: true })).toThrow(ConfigurationError);
  });
});
