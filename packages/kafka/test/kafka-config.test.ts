import { ConfigurationError, isCqrsError } from '@cqrs/core';
import { KafkaConfigError, isKafkaError, type KafkaConnectionOptions } from '@cqrs/kafka';
import { parseBootstrapServers, toKafkaConfig } from '@cqrs/kafka/transport';
import { logLevel } from 'kafkajs';

const PASSWORD = 'hunter2-very-secret';

function configError(options: KafkaConnectionOptions): KafkaConfigError {
  try {
    toKafkaConfig(options);
  } catch (error) {
    expect(error).toBeInstanceOf(KafkaConfigError);
    return error as KafkaConfigError;
  }
  throw new Error('expected a KafkaConfigError');
}

describe('toKafkaConfig', () => {
  test('PLAINTEXT maps to brokers and client id, without TLS or SASL', () => {
    const config = toKafkaConfig({ bootstrapServers: 'a:9092, b:9093', clientId: 'my-app' });
    expect(config.brokers).toEqual(['a:9092', 'b:9093']);
    expect(config.clientId).toBe('my-app');
    expect(config.ssl).toBeUndefined();
    expect(config.sasl).toBeUndefined();
    expect(config.logLevel).toBe(logLevel.WARN);
  });

  test('SASL_SSL with SCRAM-SHA-256 maps to kafkajs sasl and the TLS options', () => {
    const ca = '-----BEGIN CERTIFICATE-----';
    const config = toKafkaConfig({
      bootstrapServers: ['kafka:9094'],
      securityProtocol: 'SASL_SSL',
      saslMechanism: 'SCRAM-SHA-256',
      saslUsername: 'user',
      saslPassword: PASSWORD,
      ssl: { ca, rejectUnauthorized: true },
    });
    expect(config.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'user', password: PASSWORD });
    expect(config.ssl).toEqual({ ca, rejectUnauthorized: true });
  });

  test('SSL without options uses Node trusted CAs; SASL_PLAINTEXT has no TLS', () => {
    expect(toKafkaConfig({ bootstrapServers: 'k:1', securityProtocol: 'SSL' }).ssl).toBe(true);
    const plain = toKafkaConfig({ bootstrapServers: 'k:1', securityProtocol: 'SASL_PLAINTEXT', saslMechanism: 'PLAIN', saslUsername: 'u', saslPassword: 'p' });
    expect(plain.ssl).toBeUndefined();
    expect(plain.sasl).toEqual({ mechanism: 'plain', username: 'u', password: 'p' });
    const scram512 = toKafkaConfig({ bootstrapServers: 'k:1', securityProtocol: 'SASL_SSL', saslMechanism: 'SCRAM-SHA-512', saslUsername: 'u', saslPassword: 'p' });
    expect(scram512.sasl?.mechanism).toBe('scram-sha-512');
  });

  test('a mechanism alone under PLAINTEXT is accepted and ignored, as in the reference', () => {
    expect(toKafkaConfig({ bootstrapServers: 'k:1', securityProtocol: 'PLAINTEXT', saslMechanism: 'PLAIN' }).sasl).toBeUndefined();
  });

  test('retries are always passed in full, so kafkajs test-mode defaults never apply', () => {
    expect(toKafkaConfig({ bootstrapServers: 'k:1' }).retry).toEqual({ retries: 5, initialRetryTime: 300, maxRetryTime: 30000, factor: 0.2, multiplier: 2 });
    expect(toKafkaConfig({ bootstrapServers: 'k:1', connectionRetry: { retries: 1, initialMs: 10, factor: 3, jitter: 0.1 } }).retry).toMatchObject({ retries: 1, initialRetryTime: 10, multiplier: 3, factor: 0.1 });
  });

  test('a SASL protocol without a mechanism is a typed error', () => {
    const error = configError({ bootstrapServers: 'k:1', securityProtocol: 'SASL_SSL', saslUsername: 'u', saslPassword: PASSWORD });
    expect(error.code).toBe('KAFKA_INVALID_OPTIONS');
    expect(error.retriable).toBe(false);
    expect(isCqrsError(error)).toBe(true);
    expect(error.message).toContain('needs saslMechanism');
    expect(error.message).not.toContain(PASSWORD);
  });

  test('other impossible combinations are typed errors naming the fix', () => {
    expect(configError({ bootstrapServers: 'k:1', securityProtocol: 'SASL_SSL', saslMechanism: 'PLAIN' }).message).toContain('needs saslUsername and saslPassword');
    expect(configError({ bootstrapServers: 'k:1', saslUsername: 'u', saslPassword: PASSWORD }).message).toContain('use SASL_SSL or SASL_PLAINTEXT');
    expect(configError({ bootstrapServers: 'k:1', ssl: { rejectUnauthorized: false } }).message).toContain('use SSL or SASL_SSL');
    expect(configError({ bootstrapServers: 'k:1', securityProtocol: 'TLS' as never }).message).toContain('not supported');
    expect(configError({ bootstrapServers: 'k:1', securityProtocol: 'SASL_SSL', saslMechanism: 'GSSAPI' as never, saslUsername: 'u', saslPassword: 'p' }).message).toContain('GSSAPI');
    expect(configError({ bootstrapServers: 'k:1', logLevel: 'loud' as never }).message).toContain('logLevel');
  });

  test('bootstrap servers must be host:port', () => {
    expect(parseBootstrapServers(['a:1', ' b:2 '])).toEqual(['a:1', 'b:2']);
    expect(() => parseBootstrapServers('')).toThrow(KafkaConfigError);
    expect(() => parseBootstrapServers('localhost')).toThrow(/not host:port/);
    expect(() => parseBootstrapServers('localhost:99999')).toThrow(/not host:port/);
  });
});

test('KafkaConfigError is a core ConfigurationError that isKafkaError recognises', () => {
  const error = new KafkaConfigError('x');
  expect(error).toBeInstanceOf(ConfigurationError);
  expect(error.code).toBe('KAFKA_INVALID_OPTIONS');
  expect(isKafkaError(error)).toBe(true);
  expect(isKafkaError(new ConfigurationError('y'))).toBe(false);
});
