import type { ClientConfig } from '@confluentinc/schemaregistry';
import { redactUrl } from '@cqrs/core';
import { Agent } from 'node:https';
import { ClientSchemaRegistry } from './client-schema-registry';
import { InMemorySchemaRegistry } from './in-memory-schema-registry';
import type { SchemaRegistry } from './schema-registry';
import { resolveRegistryUrl, type SchemaRegistryConfig } from './schema-registry-config';

const inMemoryByName = new Map<string, InMemorySchemaRegistry>();

/** True for `mem://` URLs, which select an in-memory registry. */
export function isInMemoryUrl(url: string): boolean {
  return url.startsWith('mem://');
}

/** The Confluent client options for an HTTP registry. Credentials in the URL become basic auth. */
export function toClientConfig(config: SchemaRegistryConfig, url: string): ClientConfig {
  const parsed = new URL(url);
  let userInfo: string | undefined;
  if (config.basicAuth !== undefined) userInfo = `${config.basicAuth.username}:${config.basicAuth.password}`;
  else if (parsed.username !== '') userInfo = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  const headers: Record<string, string> = { ...config.headers };
  if (config.bearerToken !== undefined) headers.Authorization = `Bearer ${config.bearerToken}`;
  const tls = config.tls;
  return {
    baseURLs: [parsed.toString().replace(/\/$/, '')],
    maxRetries: config.maxRetries ?? 2,
    retriesWaitMs: config.retryDelayMs ?? 100,
    retriesMaxWaitMs: 2000,
    createAxiosDefaults: {
      timeout: config.timeoutMs ?? 10_000,
      headers,
      ...(tls === undefined ? {} : { httpsAgent: new Agent({ ...tls, ca: tls.ca as string | Buffer | (string | Buffer)[] | undefined, keepAlive: true }) }),
    },
    ...(userInfo === undefined ? {} : { basicAuthCredentials: { credentialsSource: 'USER_INFO' as const, userInfo } }),
  };
}

/**
 * A schema registry client for `config`: an HTTP client of a Confluent-compatible registry, or
 * an in-memory registry for `mem://` URLs (the same `mem://name` gives the same instance).
 * Nothing connects or loads `@confluentinc/schemaregistry` until the first request.
 *
 * ```ts
 * const registry = createSchemaRegistry({ url: 'https://registry.example.com', basicAuth: { username, password } });
 * ```
 */
export function createSchemaRegistry(config: SchemaRegistryConfig = {}): SchemaRegistry {
  const url = resolveRegistryUrl(config);
  if (isInMemoryUrl(url)) {
    let registry = inMemoryByName.get(url);
    if (registry === undefined) {
      registry = new InMemorySchemaRegistry(url);
      inMemoryByName.set(url, registry);
    }
    return registry;
  }
  const clientConfig = toClientConfig(config, url);
  return new ClientSchemaRegistry(async () => {
    const { SchemaRegistryClient } = await import('@confluentinc/schemaregistry/dist/schemaregistry-client.js');
    return new SchemaRegistryClient(clientConfig);
  }, redactUrl(url));
}
