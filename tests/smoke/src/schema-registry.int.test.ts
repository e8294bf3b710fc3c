import { basicAuth, serviceEnv } from './service-env.js';
import { uniqueName } from './wait-for.js';

// Jest's default of 5 s is too short for a first connection to a service.
const TIMEOUT_MS = 60_000;

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

interface Registered {
  id: number;
}

interface FetchedSchema {
  schema: string;
  schemaType?: string;
}

function pingSchema(messageName: string): string {
  return `syntax = "proto3";\npackage cqrs.smoke.v1;\n\nmessage ${messageName} {\n  string id = 1;\n  int64 at = 2;\n}\n`;
}

async function register(baseUrl: string, subject: string, schema: string, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE, ...headers },
    body: JSON.stringify({ schemaType: 'PROTOBUF', schema }),
  });
}

async function roundTrip(baseUrl: string, headers: Record<string, string> = {}): Promise<void> {
  const subject = `${uniqueName('smoke')}-value`;
  const messageName = `Ping${Math.random().toString(36).slice(2, 10)}`;
  const schema = pingSchema(messageName);

  const created = await register(baseUrl, subject, schema, headers);
  expect(created.status).toBe(200);
  const { id } = (await created.json()) as Registered;
  expect(typeof id).toBe('number');

  const fetched = await fetch(`${baseUrl}/schemas/ids/${id}`, { headers: { accept: CONTENT_TYPE, ...headers } });
  expect(fetched.status).toBe(200);
  const body = (await fetched.json()) as FetchedSchema;
  expect(body.schemaType).toBe('PROTOBUF');
  expect(body.schema).toContain(`message ${messageName}`);

  // Registering the same schema again is idempotent: same id.
  const again = await register(baseUrl, subject, schema, headers);
  expect(((await again.json()) as Registered).id).toBe(id);

  const versions = await fetch(`${baseUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    headers: { accept: CONTENT_TYPE, ...headers },
  });
  expect(await versions.json()).toEqual([1]);
}

/**
 * A FileDescriptorProto for `message <name> { string id = 1; }`, protobuf-encoded by hand:
 * Confluent's serializers register Protobuf schemas as such base64 descriptors.
 */
function base64Descriptor(file: string, pkg: string, name: string): string {
  const varint = (n: number): Buffer => {
    const out: number[] = [];
    while (n > 127) {
      out.push((n & 127) | 128);
      n >>>= 7;
    }
    out.push(n);
    return Buffer.from(out);
  };
  const bytes = (field: number, data: Buffer) => Buffer.concat([varint((field << 3) | 2), varint(data.length), data]);
  const str = (field: number, s: string) => bytes(field, Buffer.from(s, 'utf8'));
  const num = (field: number, n: number) => Buffer.concat([varint(field << 3), varint(n)]);
  // FieldDescriptorProto: name=1, number=3, label=4 (OPTIONAL=1), type=5 (STRING=9), json_name=10
  const field = Buffer.concat([str(1, 'id'), num(3, 1), num(4, 1), num(5, 9), str(10, 'id')]);
  // DescriptorProto: name=1, field=2
  const message = Buffer.concat([str(1, name), bytes(2, field)]);
  // FileDescriptorProto: name=1, package=2, message_type=4, syntax=12
  return Buffer.concat([str(1, file), str(2, pkg), bytes(4, message), str(12, 'proto3')]).toString('base64');
}

describe('schema registry (Confluent-compatible API)', () => {
  const { url, auth } = serviceEnv.schemaRegistry;

  test('registers and fetches a Protobuf schema', async () => {
    await roundTrip(url);
  }, TIMEOUT_MS);

  test('accepts a base64 FileDescriptorProto as Confluent serializers send it', async () => {
    const subject = `${uniqueName('smoke-descriptor')}-value`;
    const descriptor = base64Descriptor('cqrs/smoke/v1/pong.proto', 'cqrs.smoke.v1', 'Pong');
    const created = await register(url, subject, descriptor);
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as Registered;

    const lookup = await fetch(`${url}/subjects/${encodeURIComponent(subject)}`, {
      method: 'POST',
      headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE },
      body: JSON.stringify({ schemaType: 'PROTOBUF', schema: descriptor }),
    });
    expect(lookup.status).toBe(200);
    expect(((await lookup.json()) as Registered).id).toBe(id);
  }, TIMEOUT_MS);

  test('rejects a Protobuf schema that does not parse', async () => {
    const res = await register(url, `${uniqueName('smoke-broken')}-value`, 'syntax = "proto3"; message {');
    expect(res.status).toBe(422);
  }, TIMEOUT_MS);

  test('registers and fetches through the basic-auth instance', async () => {
    await roundTrip(auth.url, { authorization: basicAuth(auth.username, auth.password) });
  }, TIMEOUT_MS);

  test('the basic-auth instance rejects a wrong password and missing credentials', async () => {
    const wrong = await fetch(`${auth.url}/subjects`, {
      headers: { accept: CONTENT_TYPE, authorization: basicAuth(auth.username, `${auth.password}-wrong`) },
    });
    expect(wrong.status).toBe(401);
    const anonymous = await fetch(`${auth.url}/subjects`, { headers: { accept: CONTENT_TYPE } });
    expect(anonymous.status).toBe(401);
  }, TIMEOUT_MS);
});
