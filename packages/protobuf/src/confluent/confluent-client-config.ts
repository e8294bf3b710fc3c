import { Agent } from 'node:https';
import { parseRegistryUrl, type SchemaRegistryConfig } from '../registry/schema-registry-config';
import type { ConfluentClientConfig } from './confluent-client';

/** The Confluent client options for an HTTP registry. Credentials in the URL become basic auth. */
export function confluentClientConfig(config: SchemaRegistryConfig, url: string): ConfluentClientConfig {
  const parsed = parseRegistryUrl(url, 'url');
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
