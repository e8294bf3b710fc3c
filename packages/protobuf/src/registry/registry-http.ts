import { exponentialBackoff, redactUrl, type Backoff } from '@cqrs/core';
import { SchemaRegistryError } from '../errors/protobuf-errors';
import { httpsFetch } from './https-fetch';
import { httpRegistryError, isRetriableStatus, unreachableRegistryError } from './registry-error';
import { parseRegistryUrl, type FetchLike, type SchemaRegistryConfig } from './schema-registry-config';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

function parseBody(text: string, status: number, what: string, where: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SchemaRegistryError(`schema registry ${where}: ${what} failed: HTTP ${status} with a body that is not JSON; is the URL the root of a Confluent-compatible API (Apicurio: /apis/ccompat/v7)?`, { status });
  }
}

/** The answer of one request: its status and its parsed JSON body. */
export interface RegistryAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The HTTP side of the registry client: one base URL without credentials, the auth header,
 * a timeout per attempt, and retries with exponential backoff on connection errors, timeouts,
 * 5xx and 429. Never puts a credential in a message: the description is the redacted URL.
 */
export class RegistryHttp {
  /** The registry's URL with any password masked. */
  readonly description: string;
  readonly #base: string;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #fetch: FetchLike;
  readonly #release: () => void;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #backoff: Backoff;

  /** `option` names where `url` came from, for the error a malformed URL gives. */
  constructor(config: SchemaRegistryConfig, url: string, option = 'url') {
    const parsed = parseRegistryUrl(url, option);
    let basic: string | undefined;
    if (config.basicAuth !== undefined) basic = `${config.basicAuth.username}:${config.basicAuth.password}`;
    else if (parsed.username !== '') basic = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
    parsed.username = '';
    parsed.password = '';
    this.#base = parsed.toString().replace(/\/+$/, '');
    this.description = redactUrl(url).replace(/\/+$/, '');
    const headers: Record<string, string> = { Accept: `${CONTENT_TYPE}, application/json`, ...config.headers };
    if (basic !== undefined) headers.Authorization = `Basic ${Buffer.from(basic, 'utf8').toString('base64')}`;
    if (config.bearerToken !== undefined) headers.Authorization = `Bearer ${config.bearerToken}`;
    this.#headers = headers;
    if (config.fetch !== undefined) {
      this.#fetch = config.fetch;
      this.#release = () => undefined;
    } else if (config.tls !== undefined && parsed.protocol === 'https:') {
      const tls = httpsFetch(config.tls);
      this.#fetch = tls.fetch;
      this.#release = () => tls.close();
    } else {
      this.#fetch = (target, init) => fetch(target, init);
      this.#release = () => undefined;
    }
    this.#timeoutMs = config.timeoutMs ?? 10_000;
    this.#maxRetries = config.maxRetries ?? 2;
    this.#backoff = exponentialBackoff({ initialMs: config.retryDelayMs ?? 100, maxMs: 2000 });
  }

  /**
   * Sends one request (`path` starts with `/`, `what` says what it is for the error message).
   * Resolves with a 2xx answer; throws a `SchemaRegistryError` otherwise, after the retries.
   */
  async request(method: 'GET' | 'POST', path: string, what: string, body?: unknown): Promise<RegistryAnswer> {
    const init: RequestInit = { method, headers: body === undefined ? this.#headers : { ...this.#headers, 'Content-Type': CONTENT_TYPE } };
    if (body !== undefined) init.body = JSON.stringify(body);
    for (let attempt = 1; ; attempt += 1) {
      let failure: SchemaRegistryError;
      try {
        const response = await this.#fetch(`${this.#base}${path}`, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) });
        const text = await response.text();
        if (response.status >= 200 && response.status < 300) {
          return { status: response.status, body: parseBody(text, response.status, what, this.description) };
        }
        failure = httpRegistryError(response.status, text, what, this.description);
        if (!isRetriableStatus(response.status)) throw failure;
      } catch (error) {
        if (error instanceof SchemaRegistryError) throw error;
        failure = unreachableRegistryError(error, what, this.description, this.#timeoutMs);
      }
      if (attempt > this.#maxRetries) throw failure;
      await new Promise((resolve) => setTimeout(resolve, this.#backoff(attempt)));
    }
  }

  /** Releases the TLS agent, if one was made. */
  close(): void {
    this.#release();
  }
}
