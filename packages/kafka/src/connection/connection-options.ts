import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { LogLevel, Logger } from '@cqrs/core';

/** How the client talks to the brokers, named as in Kafka's `security.protocol`. */
export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';

/** SASL mechanisms with a username and password, named as in Kafka's `sasl.mechanism`. */
export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/**
 * Retries of the client's own connects and requests (kafkajs' retry module), in core's backoff
 * names: exponential from `initialMs`, growing by `factor`, capped at `maxMs`, spread by `jitter`.
 */
export interface KafkaConnectionRetryOptions {
  /** Retries after the first try. @default 5 */
  readonly retries?: number;
  /** Delay before the first retry. @default 300 */
  readonly initialMs?: number;
  /** Upper bound of any delay. @default 30_000 */
  readonly maxMs?: number;
  /** Growth per retry. @default 2 */
  readonly factor?: number;
  /** Random spread of each delay, 0 to 1. @default 0.2 */
  readonly jitter?: number;
}

/**
 * Where the brokers are and how to authenticate: shared by `KafkaProducerAdapter` and
 * `KafkaConsumer` [bootstrap_servers, security_protocol, sasl_mechanism, ssl_context, ...].
 */
export interface KafkaConnectionOptions {
  /** `host:port` of one or more brokers, as an array or a comma-separated string. */
  readonly bootstrapServers: string | readonly string[];
  /** Sent to the brokers with every request, for their logs and quotas; default `cqrs`. */
  readonly clientId?: string;
  /** Default `PLAINTEXT`. `SASL_*` needs `saslMechanism`, `saslUsername` and `saslPassword`. */
  readonly securityProtocol?: SecurityProtocol;
  readonly saslMechanism?: SaslMechanism;
  /** [sasl_plain_username] */
  readonly saslUsername?: string;
  /** [sasl_plain_password]; never logged, and removed from error messages. */
  readonly saslPassword?: string;
  /**
   * TLS settings for `SSL` and `SASL_SSL` [ssl_context]: `ca`, `cert`, `key`,
   * `rejectUnauthorized`, `servername` or any other `tls.connect` option. Default: Node's
   * trusted CAs.
   */
  readonly ssl?: TlsConnectionOptions;
  /** Time to open a TCP connection; default 3 s. */
  readonly connectionTimeoutMs?: number;
  /** Time for the SASL handshake; default 10 s. */
  readonly authenticationTimeoutMs?: number;
  /** Time to wait for a broker's answer to any request; default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Where kafkajs' own log lines go, secrets redacted; default the console. */
  readonly logger?: Logger;
  /** Least severe kafkajs line passed to `logger` [aiokafka_log_level]; default `warn`. */
  readonly logLevel?: LogLevel;
  /** Retries of the client's connects and requests (never of handlers: that is a consumer's `retry`). @default kafkaConnectionRetryDefaults */
  readonly connectionRetry?: KafkaConnectionRetryOptions;
}
