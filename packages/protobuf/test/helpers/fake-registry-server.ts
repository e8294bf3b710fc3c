import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server with the few Confluent registry endpoints the serde uses, for unit tests. */
export interface FakeRegistryServer {
  readonly url: string;
  /** `METHOD /path` of every request so far. */
  readonly requests: string[];
  /** `Authorization` header of every request so far. */
  readonly authorizations: (string | undefined)[];
  /** Makes every further request fail with HTTP 503 (or not). */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<{ schema?: string; schemaType?: string; references?: unknown[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { schema?: string });
}

/** Starts the fake registry; `delayMs` holds each answer back so concurrent calls overlap. */
export async function startFakeRegistry(delayMs = 20): Promise<FakeRegistryServer> {
  const requests: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const schemas: { schema: string; schemaType: string; references: unknown[] }[] = [];
  const subjects = new Map<string, number[]>();
  let down = false;
  const server: Server = createServer((req, res) => {
    void (async () => {
      requests.push(`${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0]}`);
      authorizations.push(req.headers.authorization);
      const payload = await body(req);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const send = (status: number, data: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      if (down) return send(503, { error_code: 50301, message: 'down for the test' });
      const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
      const register = /^\/subjects\/(.+)\/versions$/.exec(path);
      if (req.method === 'POST' && register !== null) {
        let id = schemas.findIndex((known) => known.schema === payload.schema) + 1;
        if (id === 0) id = schemas.push({ schema: payload.schema ?? '', schemaType: payload.schemaType ?? 'AVRO', references: payload.references ?? [] });
        const ids = subjects.get(register[1]!) ?? [];
        if (!ids.includes(id)) ids.push(id);
        subjects.set(register[1]!, ids);
        return send(200, { id });
      }
      const byId = /^\/schemas\/ids\/(\d+)$/.exec(path);
      if (req.method === 'GET' && byId !== null) {
        const found = schemas[Number(byId[1]) - 1];
        return found === undefined ? send(404, { error_code: 40403, message: 'Schema not found' }) : send(200, found);
      }
      return send(404, { error_code: 40401, message: `no route ${req.method} ${path}` });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    authorizations,
    setDown: (value) => {
      down = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
