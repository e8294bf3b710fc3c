import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server with the Confluent registry endpoints the serde uses, for unit tests. */
export interface FakeRegistryServer {
  readonly url: string;
  /** `METHOD /path` of every request so far (query included when `withQuery`). */
  readonly requests: string[];
  /** `Authorization` header of every request so far. */
  readonly authorizations: (string | undefined)[];
  /** Client certificate subjects seen over TLS. */
  readonly clientCertificates: string[];
  /** Makes every further request fail with HTTP 503 (or not). */
  setDown(down: boolean): void;
  /** Makes the next `count` requests fail with `status` (or drop the connection when 0). */
  failNext(count: number, status: number): void;
  /** Registers `schema` under `subject` as another producer would; returns its id. */
  seed(subject: string, schema: string): number;
  close(): Promise<void>;
}

/** Options of `startFakeRegistry`. */
export interface FakeRegistryOptions {
  /** Holds each answer back so concurrent calls overlap; default 20 ms. */
  readonly delayMs?: number;
  /** Serve over TLS with these options. */
  readonly tls?: ServerOptions;
  /** Record `?query` in `requests`. */
  readonly withQuery?: boolean;
}

interface Body {
  readonly schema?: string;
  readonly schemaType?: string;
  readonly references?: unknown[];
}

async function body(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body);
}

/** Starts the fake registry. Unknown routes answer 404 without an error code, as a server without the API does. */
export async function startFakeRegistry(options: FakeRegistryOptions | number = {}): Promise<FakeRegistryServer> {
  const { delayMs = 20, tls, withQuery = false } = typeof options === 'number' ? { delayMs: options } : options;
  const requests: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const clientCertificates: string[] = [];
  const schemas: { schema: string; schemaType: string; references: unknown[] }[] = [];
  const subjects = new Map<string, number[]>();
  let down = false;
  let failures: { count: number; status: number } = { count: 0, status: 0 };
  const register = (subject: string, payload: Body): number => {
    let id = schemas.findIndex((known) => known.schema === payload.schema) + 1;
    if (id === 0) id = schemas.push({ schema: payload.schema ?? '', schemaType: payload.schemaType ?? 'AVRO', references: payload.references ?? [] });
    const ids = subjects.get(subject) ?? [];
    if (!ids.includes(id)) ids.push(id);
    subjects.set(subject, ids);
    return id;
  };
  const listener: RequestListener = (req, res) => {
    void (async () => {
      requests.push(`${req.method ?? 'GET'} ${withQuery ? (req.url ?? '/') : (req.url ?? '/').split('?')[0]}`);
      authorizations.push(req.headers.authorization);
      const peer = (req.socket as { getPeerCertificate?: () => { subject?: { CN?: string } } }).getPeerCertificate?.();
      if (peer?.subject?.CN !== undefined) clientCertificates.push(peer.subject.CN);
      const payload = await body(req);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const send = (status: number, data: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      if (failures.count > 0) {
        failures = { ...failures, count: failures.count - 1 };
        if (failures.status === 0) return void req.socket.destroy();
        return send(failures.status, { error_code: failures.status * 100 + 1, message: 'failing for the test' });
      }
      if (down) return send(503, { error_code: 50301, message: 'down for the test' });
      // Matched undecoded: subjects such as `a/b.proto` arrive as `a%2Fb.proto`.
      const raw = (req.url ?? '/').split('?')[0]!;
      const versions = /^\/subjects\/([^/]+)\/versions$/.exec(raw);
      if (req.method === 'POST' && versions !== null) return send(200, { id: register(decodeURIComponent(versions[1]!), payload) });
      const lookup = /^\/subjects\/([^/]+)$/.exec(raw);
      if (req.method === 'POST' && lookup !== null) {
        const ids = subjects.get(decodeURIComponent(lookup[1]!));
        if (ids === undefined) return send(404, { error_code: 40401, message: `Subject '${lookup[1]}' not found.` });
        const index = ids.findIndex((id) => schemas[id - 1]!.schema === payload.schema);
        if (index < 0) return send(404, { error_code: 40403, message: 'Schema not found' });
        return send(200, { subject: decodeURIComponent(lookup[1]!), id: ids[index], version: index + 1, ...schemas[ids[index]! - 1] });
      }
      const latest = /^\/subjects\/([^/]+)\/versions\/latest$/.exec(raw);
      if (req.method === 'GET' && latest !== null) {
        const ids = subjects.get(decodeURIComponent(latest[1]!));
        if (ids === undefined) return send(404, { error_code: 40401, message: 'Subject not found' });
        return send(200, { subject: decodeURIComponent(latest[1]!), id: ids[ids.length - 1], version: ids.length, ...schemas[ids[ids.length - 1]! - 1] });
      }
      const compat = /^\/compatibility\/subjects\/([^/]+)\/versions\/latest$/.exec(raw);
      if (req.method === 'POST' && compat !== null) {
        const compatible = !(payload.schema ?? '').includes('INCOMPATIBLE');
        return send(200, compatible ? { is_compatible: true } : { is_compatible: false, messages: ['field 3 changed type'] });
      }
      const byId = /^\/schemas\/ids\/(\d+)$/.exec(raw);
      if (req.method === 'GET' && byId !== null) {
        const found = schemas[Number(byId[1]) - 1];
        return found === undefined ? send(404, { error_code: 40403, message: 'Schema not found' }) : send(200, found);
      }
      return send(404, { title: `Could not find resource for full path: ${raw}`, status: 404 });
    })();
  };
  const server: Server = tls === undefined ? createServer(listener) : createHttpsServer(tls, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    requests,
    authorizations,
    clientCertificates,
    setDown: (value) => {
      down = value;
    },
    failNext: (count, status) => {
      failures = { count, status };
    },
    seed: (subject, schema) => register(subject, { schema, schemaType: 'PROTOBUF', references: [] }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
