import * as amqplib from 'amqplib';
import type { ChannelModel } from 'amqplib';

/** Options passed to the socket and the AMQP handshake. */
export interface AMQPSocketOptions {
  /** Shown in the management UI and `rabbitmqctl list_connections`. */
  readonly connectionName?: string;
  /** Heartbeat interval in seconds; the server's suggestion when omitted, 0 disables. */
  readonly heartbeatSeconds?: number;
  /** TCP connect and handshake timeout in milliseconds; default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Extra socket options for `net.connect` / `tls.connect` (certificates for `amqps:`). */
  readonly socket?: Readonly<Record<string, unknown>>;
}

/** Opens one connection; injectable so tests can use fakes. */
export type AMQPConnect = (url: string, options: AMQPSocketOptions) => Promise<ChannelModel>;

function withHeartbeat(url: string, heartbeatSeconds: number | undefined): string {
  if (heartbeatSeconds === undefined) return url;
  const parsed = new URL(url);
  parsed.searchParams.set('heartbeat', String(heartbeatSeconds));
  return parsed.toString();
}

/** The real connector: `amqplib.connect` with a connection name and a bounded handshake. */
export const amqpConnect: AMQPConnect = (url, options) =>
  amqplib.connect(withHeartbeat(url, options.heartbeatSeconds), {
    ...options.socket,
    timeout: options.connectTimeoutMs ?? 10_000,
    noDelay: true,
    clientProperties: { connection_name: options.connectionName ?? 'cqrs' },
  });
