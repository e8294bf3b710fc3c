import { clone, create } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FieldDescriptorProtoSchema, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { file_cqrs_example_v1_user_created, UserCreatedSchema } from '@cqrs/example-protos';
import { messageFromEvent } from '@cqrs/core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserCreatedEvent, unique } from '@cqrs/test-fixtures';
import { checkCompatibility, createSchemaRegistry, printProto, ProtobufValueDeserializer, ProtobufValueSerializer } from '../src';
import { runCompatCli } from '../src/cli/run-compat-cli';
import { UserCreatedV2Event } from './fixtures/events';
import { registryEnv } from './helpers/registry-env';

const env = registryEnv();

/** v1 of UserCreated with one more field in the payload, in the same package: what a real v2 looks like. */
function v1WithField(type: FieldDescriptorProto_Type, name: string, number: number): string {
  const file = clone(FileDescriptorProtoSchema, file_cqrs_example_v1_user_created.proto);
  const payload = file.messageType[0]!.nestedType[0]!;
  payload.field.push(create(FieldDescriptorProtoSchema, { name, number, type, label: FieldDescriptorProto_Label.OPTIONAL, jsonName: name }));
  return printProto(file);
}

/** v1 with the type of `name` (field 3) changed to int64: a breaking change. */
function v1WithNameAsInt(): string {
  const file = clone(FileDescriptorProtoSchema, file_cqrs_example_v1_user_created.proto);
  file.messageType[0]!.nestedType[0]!.field[2]!.type = FieldDescriptorProto_Type.INT64;
  return printProto(file);
}

/** Sets a subject's compatibility rule (`PUT /config/{subject}`), which the serde never does. */
async function setCompatibility(subject: string, compatibility: string): Promise<void> {
  const response = await fetch(`${env.url}/config/${encodeURIComponent(subject)}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility }),
  });
  expect(response.status).toBe(200);
}

describe('schema evolution against the real registry', () => {
  const registry = createSchemaRegistry({ url: env.url });
  afterAll(() => registry.close());

  it('checks candidates with the compatibility endpoint under a BACKWARD rule', async () => {
    const topic = unique('it-compat');
    const subject = `${topic}-value`;
    await new ProtobufValueSerializer({ registry }).prepare(UserCreatedSchema, topic);
    await setCompatibility(subject, 'BACKWARD');

    const added = await checkCompatibility({ registry, subject, schema: v1WithField(FieldDescriptorProto_Type.STRING, 'phone', 4) });
    expect(added).toMatchObject({ subject, compatible: true });
    const changed = await checkCompatibility({ registry, subject, schema: v1WithNameAsInt() });
    expect(changed.compatible).toBe(false);

    const dir = mkdtempSync(join(tmpdir(), 'compat-'));
    writeFileSync(join(dir, 'ok.proto'), v1WithField(FieldDescriptorProto_Type.STRING, 'phone', 4));
    writeFileSync(join(dir, 'bad.proto'), v1WithNameAsInt());
    const lines: string[] = [];
    expect(await runCompatCli(['--url', env.url, '--subject', subject, join(dir, 'ok.proto')], (line) => lines.push(line), (line) => lines.push(line))).toBe(0);
    expect(await runCompatCli(['--url', env.url, '--topic', topic, join(dir, 'bad.proto')], (line) => lines.push(line), (line) => lines.push(line))).toBe(1);
    expect(lines.join('\n')).toContain(`INCOMPATIBLE: ${join(dir, 'bad.proto')} with the latest version of ${subject}`);
  });

  it('lets a v1 consumer read v2 messages and a v2 consumer read v1 messages', async () => {
    const topic = unique('it-evolve');
    const serializer = new ProtobufValueSerializer({ registry });
    const v2Event = new UserCreatedV2Event({ eventName: 'user_created', topic, payload: { userId: 'u-2', email: 'v2@example.com', name: 'Vee Two', phone: '+100' } });
    const v1Event = new UserCreatedEvent({ eventName: 'user_created', topic, payload: { userId: 'u-1', email: 'v1@example.com', name: 'Vee One' } });
    const fromV2 = await serializer.serialize(messageFromEvent(v2Event));
    const fromV1 = await serializer.serialize(messageFromEvent(v1Event));

    const v1Reader = new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry, typeMatch: 'name' });
    const read = (await v1Reader.deserialize(fromV2.value, { topic })) as UserCreatedEvent;
    expect(read).toBeInstanceOf(UserCreatedEvent);
    expect(read.payload).toEqual({ userId: 'u-2', email: 'v2@example.com', name: 'Vee Two' });

    const v2Reader = new ProtobufValueDeserializer({ model: UserCreatedV2Event, protobufModel: UserCreatedV2Event.protoSchema, registry, typeMatch: 'name' });
    const old = (await v2Reader.deserialize(fromV1.value, { topic })) as UserCreatedV2Event;
    expect(old.payload).toEqual({ userId: 'u-1', email: 'v1@example.com', name: 'Vee One', phone: '' });
  });
});
