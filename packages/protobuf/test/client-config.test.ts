import { Agent } from 'node:https';
import { createSchemaRegistry, InMemorySchemaRegistry } from '../src';
import { toClientConfig } from '../src/registry/create-schema-registry';

describe('registry client settings', () => {
  it('moves credentials out of the URL into basic auth and keeps them out of the description', () => {
    const config = toClientConfig({}, 'https://alice:s3cret@registry.example.com/apis/ccompat/v7/');
    expect(config.baseURLs).toEqual(['https://registry.example.com/apis/ccompat/v7']);
    expect(config.basicAuthCredentials).toEqual({ credentialsSource: 'USER_INFO', userInfo: 'alice:s3cret' });
    expect(createSchemaRegistry({ url: 'https://alice:s3cret@registry.example.com' }).description).toBe('https://alice:***@registry.example.com');
  });

  it('sends a bearer token, extra headers, a timeout and a TLS agent', () => {
    const config = toClientConfig({ bearerToken: 't0k', headers: { 'x-tenant': 'a' }, timeoutMs: 1234, tls: { ca: 'PEM', rejectUnauthorized: false } }, 'https://registry.example.com');
    expect(config.createAxiosDefaults?.headers).toEqual({ 'x-tenant': 'a', Authorization: 'Bearer t0k' });
    expect(config.createAxiosDefaults?.timeout).toBe(1234);
    const agent = config.createAxiosDefaults?.httpsAgent as Agent;
    expect(agent).toBeInstanceOf(Agent);
    expect(agent.options).toMatchObject({ ca: 'PEM', rejectUnauthorized: false });
    expect(config.basicAuthCredentials).toBeUndefined();
  });

  it('gives the same in-memory registry for the same mem:// name, and a new one for another', () => {
    const a = createSchemaRegistry({ url: 'mem://shared-test' });
    expect(a).toBeInstanceOf(InMemorySchemaRegistry);
    expect(createSchemaRegistry({ url: 'mem://shared-test' })).toBe(a);
    expect(createSchemaRegistry({ url: 'mem://other-test' })).not.toBe(a);
  });
});
