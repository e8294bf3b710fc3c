import { consoleLogger, exponentialBackoff, type Backoff, type ExponentialBackoffOptions, type Logger } from '@cqrs/core';
import { amqpConnect, type AMQPConnect } from './amqp-connect';
import type { ConnectionSupervisorOptions } from './connection-supervisor';

/** How a publisher or consumer reaches RabbitMQ and reconnects; the same options for both. */
export interface AMQPConnectionOptions {
  /** `amqp://user:password@host:5672/vhost` or `amqps://...`; the password is never logged. */
  readonly url: string;
  /** Shown in the management UI. @default 'cqrs-publisher' or 'cqrs-consumer' */
  readonly connectionName?: string;
  /** Heartbeat in seconds; 0 disables. @default the server's suggestion */
  readonly heartbeatSeconds?: number;
  /** Timeout of one TCP connect and handshake. @default 10_000 */
  readonly connectTimeoutMs?: number;
  /**
   * Delays between reconnect attempts: core's backoff options, or a `Backoff` function.
   * @default amqpConnectionRetryDefaults (exponential from 100 ms up to 5 s)
   */
  readonly connectionRetry?: ExponentialBackoffOptions | Backoff;
  /** Extra socket options for `net.connect` / `tls.connect` (certificates for `amqps:`). */
  readonly socketOptions?: Readonly<Record<string, unknown>>;
  /** @default consoleLogger('warn') */
  readonly logger?: Logger;
  /** Replaces `amqplib.connect`, for tests. */
  readonly connect?: AMQPConnect;
}

/** The defaults of `AMQPConnectionOptions.connectionRetry`. */
export const amqpConnectionRetryDefaults: Readonly<ExponentialBackoffOptions> = Object.freeze({ initialMs: 100, maxMs: 5_000 });

/** The supervisor options of a publisher or consumer: one mapping for both. */
export function supervisorOptions<S>(
  options: AMQPConnectionOptions,
  defaultName: string,
  session: Pick<ConnectionSupervisorOptions<S>, 'setup' | 'onLost'>,
): ConnectionSupervisorOptions<S> {
  const retry = options.connectionRetry;
  return {
    url: options.url,
    connect: options.connect ?? amqpConnect,
    socketOptions: {
      connectionName: options.connectionName ?? defaultName,
      ...(options.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: options.heartbeatSeconds }),
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
      ...(options.socketOptions === undefined ? {} : { socket: options.socketOptions }),
    },
    backoff: typeof retry === 'function' ? retry : exponentialBackoff({ ...amqpConnectionRetryDefaults, ...retry }),
    logger: options.logger ?? consoleLogger(),
    ...session,
  };
}
