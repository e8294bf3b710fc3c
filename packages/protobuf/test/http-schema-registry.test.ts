import { ConfigurationError } from '@cqrs/core';
import { file_cqrs_example_v1_user_created } from '@cqrs/example-protos';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSchemaRegistry, HttpSchemaRegistry, InMemorySchemaRegistry, registrySchema, SchemaRegistryError } from '../src';
import { startFakeRegistry, type FakeRegistryServer } from './helpers/fake-registry-server';

const schema = registrySchema(file_cqrs_example_v1_user_created, 'text', []);
const tlsFile = (name: string): string => readFileSync(join(__dirname, 'fixtures', 'tls', name), 'utf8');

describe('HttpSchemaRegistry', () => {
  let server: FakeRegistryServer;
  beforeEach(async () => {
    server = await startFakeRegistry({ delayMs: 1, withQuery: true });
  });
  afterEach(() => server.close());

  it('speaks the Confluent endpoints: register, look up, latest, by id, compatibility', async () => {
    const registry = createSchemaRegistry({ url: `${server.url}/` });
    expect(registry).toBeInstanceOf(HttpSchemaRegistry);
    expect(await registry.lookup('s/one', schema, true)).toBeUndefined();
    const id = await registry.register('s/one', schema);
    expect(await registry.lookup('s/one', schema, true)).toMatchObject({ id, subject: 's/one', version: 1, schema: schema.schema });
    expect(await registry.lookup('s/one', { ...schema, schema: 'other' })).toBeUndefined();
    expect(await registry.latest('s/one')).toMatchObject({ id, version: 1 });
    expect(await registry.getById(id)).toMatchObject({ schemaType: 'PROTOBUF', schema: schema.schema });
    expect(await registry.testCompatibility('s/one', schema)).toEqual({ compatible: true, messages: [] });
    expect(await registry.testCompatibility('s/one', { ...schema, schema: 'INCOMPATIBLE' })).toEqual({ compatible: false, messages: ['field 3 changed type'] });
    expect(server.requests).toEqual([
      'POST /subjects/s%2Fone?normalize=true',
      'POST /subjects/s%2Fone/versions',
      'POST /subjects/s%2Fone?normalize=true',
      'POST /subjects/s%2Fone',
      'GET /subjects/s%2Fone/versions/latest',
      `GET /schemas/ids/${id}`,
      'POST /compatibility/subjects/s%2Fone/versions/latest?verbose=true',
      'POST /compatibility/subjects/s%2Fone/versions/latest?verbose=true',
    ]);
    await registry.close();
  });

  it('moves credentials out of the URL into basic auth and keeps them out of the description and errors', async () => {
    const url = server.url.replace('//', '//alice:s3cret@');
    const registry = createSchemaRegistry({ url, maxRetries: 0 });
    expect(registry.description).toBe(url.replace('s3cret', '***'));
    await registry.register('auth', schema);
    expect(server.authorizations).toEqual([`Basic ${Buffer.from('alice:s3cret').toString('base64')}`]);
    server.setDown(true);
    const failure = (await registry.register('auth', schema).catch((error: unknown) => error)) as SchemaRegistryError;
    expect(failure).toBeInstanceOf(SchemaRegistryError);
    expect(failure.message).toMatch(/HTTP 503 \(error 50301\): down for the test/);
    expect(`${failure.message} ${String(failure.stack)}`).not.toContain('s3cret');
  });

  it('sends a bearer token and extra headers', async () => {
    const seen: Headers[] = [];
    const registry = createSchemaRegistry({
      url: server.url,
      bearerToken: 't0k',
      headers: { 'x-tenant': 'a' },
      fetch: (url, init) => {
        seen.push(new Headers(init.headers));
        return fetch(url, init);
      },
    });
    await registry.register('bearer', schema);
    expect(server.authorizations).toEqual(['Bearer t0k']);
    expect(seen[0]?.get('x-tenant')).toBe('a');
    expect(seen[0]?.get('content-type')).toBe('application/vnd.schemaregistry.v1+json');
  });

  it('says where the API root is when the URL lacks it, and names the option of a malformed URL', async () => {
    // The fake answers 404 without an error code for an unknown route, as Apicurio does at its root.
    const wrong = createSchemaRegistry({ url: `${server.url}/wrong` });
    await expect(wrong.latest('x')).rejects.toMatchObject({ name: 'SchemaRegistryError', status: 404, registryCode: undefined, retriable: false });
    await expect(wrong.lookup('x', schema)).rejects.toThrow(
      /HTTP 404 with no registry error code: no Confluent-compatible API answers at http:\/\/127\.0\.0\.1:\d+\/wrong; check the URL's path \(Apicurio serves it at \/apis\/ccompat\/v7/,
    );
    expect(() => createSchemaRegistry({ url: 'localhost:8085' })).toThrow(ConfigurationError);
    expect(() => createSchemaRegistry({ url: 'http//user:pw@host' })).toThrow(/schema registry url is not a valid URL/);
    expect(() => createSchemaRegistry({ url: 'http//user:pw@host' })).not.toThrow(/pw/);
    const fromEnv = process.env.KAFKA_SCHEMA_REGISTRY_URL;
    process.env.KAFKA_SCHEMA_REGISTRY_URL = 'not a url';
    try {
      expect(() => createSchemaRegistry()).toThrow(/schema registry KAFKA_SCHEMA_REGISTRY_URL is not a valid URL/);
    } finally {
      if (fromEnv === undefined) delete process.env.KAFKA_SCHEMA_REGISTRY_URL;
      else process.env.KAFKA_SCHEMA_REGISTRY_URL = fromEnv;
    }
  });

  it('retries 5xx and dropped connections with backoff, and not 4xx', async () => {
    const registry = createSchemaRegistry({ url: server.url, maxRetries: 2, retryDelayMs: 1 });
    server.failNext(1, 0);
    server.failNext(2, 503);
    expect(await registry.register('retry', schema)).toBe(1);
    expect(server.requests).toHaveLength(3);

    server.failNext(3, 502);
    await expect(registry.register('retry', schema)).rejects.toMatchObject({ status: 502, retriable: true });
    expect(server.requests).toHaveLength(6);

    server.failNext(1, 0);
    expect(await registry.register('retry', schema)).toBe(1);
    expect(server.requests).toHaveLength(8);

    server.failNext(1, 422);
    await expect(registry.register('retry', schema)).rejects.toMatchObject({ status: 422, registryCode: 42201, retriable: false });
    expect(server.requests).toHaveLength(9);
  });

  it('gives up on a slow registry after the timeout, as a retriable error', async () => {
    const slow = await startFakeRegistry({ delayMs: 500 });
    try {
      const registry = createSchemaRegistry({ url: slow.url, timeoutMs: 50, maxRetries: 0 });
      const failure = registry.getById(1);
      await expect(failure).rejects.toMatchObject({ name: 'SchemaRegistryError', retriable: true });
      await expect(failure).rejects.toThrow(/no answer within 50 ms/);
    } finally {
      await slow.close();
    }
  });

  it('reports a refused connection as unreachable and retriable', async () => {
    const closed = await startFakeRegistry();
    const url = closed.url;
    await closed.close();
    const registry = createSchemaRegistry({ url, maxRetries: 0 });
    const failure = registry.getById(1);
    await expect(failure).rejects.toMatchObject({ name: 'SchemaRegistryError', retriable: true });
    await expect(failure).rejects.toThrow(/fetching schema id 1 failed: unreachable \(ECONNREFUSED\)/);
  });

  it('trusts a custom CA and presents a client certificate', async () => {
    const tlsServer = await startFakeRegistry({ delayMs: 1, tls: { key: tlsFile('server-key.pem'), cert: tlsFile('server.pem'), ca: tlsFile('ca.pem'), requestCert: true, rejectUnauthorized: true } });
    try {
      const registry = createSchemaRegistry({ url: tlsServer.url, tls: { ca: tlsFile('ca.pem'), cert: tlsFile('client.pem'), key: tlsFile('client-key.pem') } });
      expect(await registry.register('tls', schema)).toBe(1);
      expect((await registry.latest('tls')).id).toBe(1);
      expect(tlsServer.clientCertificates).toEqual(['cqrs-test-client', 'cqrs-test-client']);
      await registry.close();

      const untrusted = createSchemaRegistry({ url: tlsServer.url, maxRetries: 0 });
      await expect(untrusted.latest('tls')).rejects.toThrow(/latest schema of subject tls failed: unreachable/);
    } finally {
      await tlsServer.close();
    }
  });

  it('gives the same in-memory registry for the same mem:// name, and a new one for another', () => {
    const a = createSchemaRegistry({ url: 'mem://shared-test' });
    expect(a).toBeInstanceOf(InMemorySchemaRegistry);
    expect(createSchemaRegistry({ url: 'mem://shared-test' })).toBe(a);
    expect(createSchemaRegistry({ url: 'mem://other-test' })).not.toBe(a);
  });
});
