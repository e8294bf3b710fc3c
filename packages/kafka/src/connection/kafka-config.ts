import { consoleLogger } from '@cqrs/core';
import { logLevel as KafkaLogLevel, type KafkaConfig, type RetryOptions, type SASLOptions } from 'kafkajs';
import { KafkaConfigError } from '../errors';
import type { KafkaConnectionOptions, KafkaConnectionRetryOptions, SaslMechanism, SecurityProtocol } from './connection-options';
import { kafkaLogCreator } from './log-creator';

const PROTOCOLS: readonly SecurityProtocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const MECHANISMS: Readonly<Record<SaslMechanism, 'plain' | 'scram-sha-256' | 'scram-sha-512'>> = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
};
const LOG_LEVELS = { debug: KafkaLogLevel.DEBUG, info: KafkaLogLevel.INFO, warn: KafkaLogLevel.WARN, error: KafkaLogLevel.ERROR, silent: KafkaLogLevel.NOTHING } as const;

// kafkajs' production defaults, always passed in full: kafkajs swaps in other ones under NODE_ENV=test.
/** The defaults of `KafkaConnectionRetryOptions`: kafkajs' production defaults. */
export const kafkaConnectionRetryDefaults: Readonly<Required<KafkaConnectionRetryOptions>> = Object.freeze({ retries: 5, initialMs: 300, maxMs: 30_000, factor: 2, jitter: 0.2 });

/** Splits and checks `bootstrapServers` into `host:port` strings. */
export function parseBootstrapServers(servers: string | readonly string[]): string[] {
  const list = (typeof servers === 'string' ? servers.split(',') : [...servers]).map((server) => server.trim()).filter((server) => server !== '');
  if (list.length === 0) throw new KafkaConfigError('bootstrapServers is empty: give at least one host:port');
  for (const server of list) {
    const port = Number(server.slice(server.lastIndexOf(':') + 1));
    if (!server.includes(':') || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new KafkaConfigError(`bootstrapServers entry "${server}" is not host:port`);
    }
  }
  return list;
}

/** Retry options in kafkajs' form, every field filled (kafkajs calls the jitter `factor` and the growth `multiplier`). */
export function kafkaRetry(retry: KafkaConnectionRetryOptions | undefined): Required<Omit<RetryOptions, 'restartOnFailure'>> {
  const merged = { ...kafkaConnectionRetryDefaults, ...retry };
  if (!Number.isInteger(merged.retries) || merged.retries < 0) throw new KafkaConfigError(`connectionRetry.retries must be an integer >= 0, got ${merged.retries}`);
  return {
    retries: merged.retries,
    initialRetryTime: merged.initialMs,
    maxRetryTime: merged.maxMs,
    factor: merged.jitter,
    multiplier: merged.factor,
  };
}

function saslOptions(options: KafkaConnectionOptions, protocol: SecurityProtocol): SASLOptions | undefined {
  const usesSasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
  const hasCredentials = options.saslUsername !== undefined || options.saslPassword !== undefined;
  if (!usesSasl) {
    if (hasCredentials) throw new KafkaConfigError(`saslUsername/saslPassword are set but securityProtocol is ${protocol}; use SASL_SSL or SASL_PLAINTEXT`);
    // A mechanism alone is harmless here: aiokafka defaults it to PLAIN and ignores it without SASL.
    return undefined;
  }
  if (options.saslMechanism === undefined) {
    throw new KafkaConfigError(`securityProtocol ${protocol} needs saslMechanism (${Object.keys(MECHANISMS).join(', ')})`);
  }
  const mechanism = MECHANISMS[options.saslMechanism];
  if (mechanism === undefined) {
    throw new KafkaConfigError(`saslMechanism "${String(options.saslMechanism)}" is not supported; use ${Object.keys(MECHANISMS).join(', ')}`);
  }
  if (!options.saslUsername || !options.saslPassword) {
    throw new KafkaConfigError(`securityProtocol ${protocol} with ${options.saslMechanism} needs saslUsername and saslPassword`);
  }
  return { mechanism, username: options.saslUsername, password: options.saslPassword };
}

/**
 * Checks the connection options and maps them (with `connectionRetry`) to a kafkajs `KafkaConfig`. Throws
 * `KafkaConfigError` for combinations that cannot work, before anything connects.
 */
export function toKafkaConfig(options: KafkaConnectionOptions): KafkaConfig {
  const protocol = options.securityProtocol ?? 'PLAINTEXT';
  if (!PROTOCOLS.includes(protocol)) {
    throw new KafkaConfigError(`securityProtocol "${String(protocol)}" is not supported; use ${PROTOCOLS.join(', ')}`);
  }
  const usesTls = protocol === 'SSL' || protocol === 'SASL_SSL';
  if (options.ssl !== undefined && !usesTls) {
    throw new KafkaConfigError(`ssl options are set but securityProtocol is ${protocol}; use SSL or SASL_SSL`);
  }
  const sasl = saslOptions(options, protocol);
  const level = options.logLevel ?? 'warn';
  if (LOG_LEVELS[level] === undefined) throw new KafkaConfigError(`logLevel "${String(level)}" is not one of ${Object.keys(LOG_LEVELS).join(', ')}`);
  const secrets = secretsOf(options);
  return {
    brokers: parseBootstrapServers(options.bootstrapServers),
    clientId: options.clientId ?? 'cqrs',
    ...(usesTls ? { ssl: options.ssl ?? true } : {}),
    ...(sasl === undefined ? {} : { sasl }),
    ...(options.connectionTimeoutMs === undefined ? {} : { connectionTimeout: options.connectionTimeoutMs }),
    ...(options.authenticationTimeoutMs === undefined ? {} : { authenticationTimeout: options.authenticationTimeoutMs }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeout: options.requestTimeoutMs }),
    retry: kafkaRetry(options.connectionRetry),
    logLevel: LOG_LEVELS[level],
    logCreator: kafkaLogCreator(options.logger ?? consoleLogger(level), secrets),
  };
}

/** The secrets of a set of options, to scrub from anything printed. */
export function secretsOf(options: KafkaConnectionOptions): readonly string[] {
  return options.saslPassword === undefined || options.saslPassword === '' ? [] : [options.saslPassword];
}
