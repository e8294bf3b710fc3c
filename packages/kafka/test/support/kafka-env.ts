import { readFileSync } from 'node:fs';
import type { KafkaConnectionOptions } from '@cqrs/kafka';

type Env = Record<string, string | undefined>;

function value(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v.trim() === '' ? fallback : v.trim();
}

/** Where the real services are: `scripts/services env` names, loopback defaults. */
export const kafkaEnv = {
  brokers: value(process.env, 'KAFKA_BROKERS', '127.0.0.1:9092'),
  saslBrokers: value(process.env, 'KAFKA_SASL_BROKERS', '127.0.0.1:9094'),
  saslUsername: value(process.env, 'KAFKA_SASL_USERNAME', 'cqrs'),
  saslPassword: value(process.env, 'KAFKA_SASL_PASSWORD', 'cqrs-secret'),
  caFile: value(process.env, 'KAFKA_SSL_CA_FILE', `${value(process.env, 'CQRS_SERVICES_HOME', '/var/tmp/cqrs-services')}/kafka/tls/ca.pem`),
  registryUrl: value(process.env, 'KAFKA_SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8085/apis/ccompat/v7'),
};

/** Connection options of the PLAINTEXT listener, quiet unless something is wrong. */
export function plaintext(): KafkaConnectionOptions {
  return { bootstrapServers: kafkaEnv.brokers, logLevel: 'error' };
}

/** Connection options of the SASL_SSL / SCRAM-SHA-256 listener, trusting the test CA. */
export function saslSsl(password = kafkaEnv.saslPassword): KafkaConnectionOptions {
  return {
    bootstrapServers: kafkaEnv.saslBrokers,
    securityProtocol: 'SASL_SSL',
    saslMechanism: 'SCRAM-SHA-256',
    saslUsername: kafkaEnv.saslUsername,
    saslPassword: password,
    ssl: { ca: readFileSync(kafkaEnv.caFile, 'utf8') },
    logLevel: 'error',
  };
}
