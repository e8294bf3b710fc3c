import { Agent, request } from 'node:https';
import type { FetchLike, SchemaRegistryTls } from './schema-registry-config';

/** A `fetch` over `node:https` with its own TLS agent, and how to release it. */
export interface HttpsFetch {
  readonly fetch: FetchLike;
  close(): void;
}

function headersOf(raw: NodeJS.Dict<string | string[]>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) pairs.push([name, item]);
  }
  return pairs;
}

/**
 * A `fetch` for registries that need a custom CA or a client certificate: Node's global
 * `fetch` takes no TLS options without the `undici` package, `node:https` does. Only what the
 * registry client sends is supported: a method, string headers, a string body, a signal.
 */
export function httpsFetch(tls: SchemaRegistryTls): HttpsFetch {
  const agent = new Agent({
    ...(tls.ca === undefined ? {} : { ca: tls.ca as string | Buffer | (string | Buffer)[] }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
    ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }),
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
    keepAlive: true,
  });
  const fetch: FetchLike = (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, agent, ...(init.signal === null || init.signal === undefined ? {} : { signal: init.signal }) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 502;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, headers: headersOf(res.headers) }));
        });
      });
      req.on('error', reject);
      req.end(typeof init.body === 'string' ? init.body : undefined);
    });
  return { fetch, close: () => agent.destroy() };
}
