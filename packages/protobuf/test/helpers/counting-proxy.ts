import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP proxy on loopback that forwards to `target` and records each request it passes on. */
export interface CountingProxy {
  /** `target` as seen through the proxy (same path prefix). */
  readonly url: string;
  /** `METHOD /path?query` of every request so far. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts a counting proxy in front of `target` (e.g. `http://127.0.0.1:8085/apis/ccompat/v7`). */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const base = new URL(target);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method ?? 'GET'} ${req.url ?? '/'}`);
    const upstream = httpRequest(
      { host: base.hostname, port: base.port, method: req.method, path: req.url, headers: { ...req.headers, host: base.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base.pathname.replace(/\/$/, '')}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
