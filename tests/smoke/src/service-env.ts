/**
 * Where the integration tests find their services. Every value comes from the environment
 * (see `scripts/services env` and docs/services.md) and defaults to what `scripts/services up`
 * starts on 127.0.0.1. Integration tests elsewhere may copy this pattern.
 */
export interface ServiceEnv {
  kafka: {
    /** PLAINTEXT listener(s), from KAFKA_BROKERS (comma separated). */
    brokers: string[];
    /** SASL_SSL listener(s), from KAFKA_SASL_BROKERS (comma separated). */
    saslBrokers: string[];
    sasl: {
      mechanism: 'scram-sha-256' | 'scram-sha-512' | 'plain';
      username: string;
      password: string;
    };
    /** PEM file of the CA that signed the broker certificate (KAFKA_SSL_CA_FILE). */
    sslCaFile: string;
  };
  schemaRegistry: {
    /** Confluent-compatible API without auth (KAFKA_SCHEMA_REGISTRY_URL). */
    url: string;
    /** The same API behind HTTP basic auth. */
    auth: { url: string; username: string; password: string };
  };
  rabbitmq: {
    /** AMQP_URL */
    url: string;
    /** HTTP management API (RABBITMQ_MANAGEMENT_URL and its credentials). */
    management: { url: string; username: string; password: string };
  };
  postgres: {
    /** DATABASE_URL */
    url: string;
  };
}

type Env = Record<string, string | undefined>;

function value(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v.trim() === '' ? fallback : v.trim();
}

function list(env: Env, name: string, fallback: string): string[] {
  return value(env, name, fallback)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function saslMechanism(raw: string): ServiceEnv['kafka']['sasl']['mechanism'] {
  const m = raw.toLowerCase();
  if (m === 'scram-sha-256' || m === 'scram-sha-512' || m === 'plain') return m;
  throw new Error(`KAFKA_SASL_MECHANISM: unsupported mechanism "${raw}"`);
}

/** Reads the service locations from `env` (process.env by default). */
export function readServiceEnv(env: Env = process.env): ServiceEnv {
  const home = value(env, 'CQRS_SERVICES_HOME', '/var/tmp/cqrs-services');
  const amqpUrl = value(env, 'AMQP_URL', 'amqp://guest:guest@127.0.0.1:5672');
  const amqp = new URL(amqpUrl);
  return {
    kafka: {
      brokers: list(env, 'KAFKA_BROKERS', '127.0.0.1:9092'),
      saslBrokers: list(env, 'KAFKA_SASL_BROKERS', '127.0.0.1:9094'),
      sasl: {
        mechanism: saslMechanism(value(env, 'KAFKA_SASL_MECHANISM', 'scram-sha-256')),
        username: value(env, 'KAFKA_SASL_USERNAME', 'cqrs'),
        password: value(env, 'KAFKA_SASL_PASSWORD', 'cqrs-secret'),
      },
      sslCaFile: value(env, 'KAFKA_SSL_CA_FILE', `${home}/kafka/tls/ca.pem`),
    },
    schemaRegistry: {
      url: value(env, 'KAFKA_SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8085/apis/ccompat/v7'),
      auth: {
        url: value(env, 'SCHEMA_REGISTRY_AUTH_URL', 'http://127.0.0.1:8086/apis/ccompat/v7'),
        username: value(env, 'SCHEMA_REGISTRY_AUTH_USER', 'registry-user'),
        password: value(env, 'SCHEMA_REGISTRY_AUTH_PASSWORD', 'registry-pass'),
      },
    },
    rabbitmq: {
      url: amqpUrl,
      management: {
        url: value(env, 'RABBITMQ_MANAGEMENT_URL', 'http://127.0.0.1:15672'),
        username: value(env, 'RABBITMQ_MANAGEMENT_USER', decodeURIComponent(amqp.username) || 'guest'),
        password: value(env, 'RABBITMQ_MANAGEMENT_PASSWORD', decodeURIComponent(amqp.password) || 'guest'),
      },
    },
    postgres: {
      url: value(env, 'DATABASE_URL', 'postgres://cqrs:cqrs@127.0.0.1:5432/cqrs'),
    },
  };
}

export const serviceEnv: ServiceEnv = readServiceEnv();

/** `Authorization` header value for HTTP basic auth. */
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
