import { ConfigurationError } from '@cqrs/core';

/** TLS settings for an `https://` registry; PEM strings or buffers. */
export interface SchemaRegistryTls {
  /** Certificate authorities to trust instead of the system ones. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Client certificate for mutual TLS. */
  readonly cert?: string | Buffer;
  /** Client key for mutual TLS. */
  readonly key?: string | Buffer;
  /** Passphrase of `key`. */
  readonly passphrase?: string;
  /** Verify the server certificate; true by default. Turn off only for local testing. */
  readonly rejectUnauthorized?: boolean;
}

/** A `fetch`-shaped function: the global `fetch`, undici's, or a test double. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Where the schema registry is and how to talk to it. */
export interface SchemaRegistryConfig {
  /**
   * Base URL of a Confluent-compatible API, e.g. `http://localhost:8085` or Apicurio's
   * `http://host:8080/apis/ccompat/v7`. `mem://` (or `mem://name`) selects an in-memory
   * registry. Default: `KAFKA_SCHEMA_REGISTRY_URL`, else `http://localhost:8085`.
   */
  readonly url?: string;
  /** HTTP basic auth. A `user:pass@` part of `url` works too. */
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** A static bearer token, sent as `Authorization: Bearer <token>`. */
  readonly bearerToken?: string;
  /** A custom CA, a client certificate for mutual TLS; requests then go through `node:https`. */
  readonly tls?: SchemaRegistryTls;
  /** Extra HTTP headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per-request timeout; default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Retries of failed requests (connection errors, timeouts, 5xx, 429); default 2. */
  readonly maxRetries?: number;
  /** First retry delay, doubled with jitter up to 2 s; default 100 ms. */
  readonly retryDelayMs?: number;
  /** The HTTP function; default the global `fetch` (with `tls`, one over `node:https`). */
  readonly fetch?: FetchLike;
}

/** The default registry URL when neither options nor the environment give one. */
export const DEFAULT_SCHEMA_REGISTRY_URL = 'http://localhost:8085';

/** The registry URL: from `config`, else `KAFKA_SCHEMA_REGISTRY_URL`, else the default. */
export function resolveRegistryUrl(config: SchemaRegistryConfig = {}, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.KAFKA_SCHEMA_REGISTRY_URL;
  return config.url ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_SCHEMA_REGISTRY_URL);
}

/**
 * Parses the registry URL, or throws a `ConfigurationError` that names where it came from
 * (`option`, e.g. `url` or `KAFKA_SCHEMA_REGISTRY_URL`) without echoing credentials.
 */
export function parseRegistryUrl(url: string, option: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(`schema registry ${option} is not a valid URL; expected e.g. http://localhost:8081 or http://host:8080/apis/ccompat/v7`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigurationError(`schema registry ${option} must be an http:// or https:// URL (or mem:// for an in-memory registry), got ${parsed.protocol}//`);
  }
  return parsed;
}
