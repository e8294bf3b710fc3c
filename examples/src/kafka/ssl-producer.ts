// Twin of the reference's "Protobuf Producer with SSL": SASL_SSL with SCRAM-SHA-256, the
// broker's CA as the TLS context, and the Protobuf serializer.
//
//   KAFKA_BROKERS=... KAFKA_SASL_BROKERS=127.0.0.1:9094 KAFKA_SASL_USERNAME=cqrs \
//   KAFKA_SASL_PASSWORD=... KAFKA_SSL_CA_FILE=/var/tmp/cqrs-services/kafka/tls/ca.pem node dist/kafka/ssl-producer.js
//
// Without KAFKA_BROKERS it checks the options and publishes to core's in-memory broker.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { messageFromEvent, type MessageBroker } from '@cqrs/core';
import { KafkaMessageBroker, KafkaProducerAdapter, type KafkaProducerOptions } from '@cqrs/kafka';
import { toKafkaConfig } from '@cqrs/kafka/transport';
import { UserCreatedProtoEvent } from '../protobuf/events';
import { inMemoryBroker, serializerOf, settingsOf, type KafkaExampleOptions } from './settings';

/** The SASL_SSL producer options [KafkaProducerAdapter(security_protocol="SASL_SSL", ...)]. */
export function sslProducerOptions(env: NodeJS.ProcessEnv = process.env): KafkaProducerOptions {
  const caFile = env.KAFKA_SSL_CA_FILE;
  return {
    bootstrapServers: env.KAFKA_SASL_BROKERS ?? 'kafka.example.com:9093',
    securityProtocol: 'SASL_SSL',
    saslMechanism: 'SCRAM-SHA-256',
    saslUsername: env.KAFKA_SASL_USERNAME ?? 'username',
    saslPassword: env.KAFKA_SASL_PASSWORD ?? 'password',
    // The TLS context [ssl.create_default_context()]: Node's trusted CAs, plus the broker's CA when given.
    ssl: caFile === undefined ? {} : { ca: readFileSync(caFile, 'utf8') },
  };
}

/** Publishes one event over SASL_SSL; resolves with its id. */
export async function main(options: KafkaExampleOptions = {}): Promise<string> {
  const settings = settingsOf(options);
  const producerOptions: KafkaProducerOptions = sslProducerOptions();
  let broker: MessageBroker;
  if (settings.brokers === undefined) {
    // No Kafka here: still validate the options as the adapter would, then publish in memory.
    toKafkaConfig(producerOptions);
    broker = inMemoryBroker();
  } else {
    const kafkaProducer = new KafkaProducerAdapter(producerOptions);
    broker = new KafkaMessageBroker({ producer: kafkaProducer, valueSerializer: serializerOf(settings) });
  }
  const event = new UserCreatedProtoEvent({ eventName: 'user_created', topic: settings.topic, key: '789', payload: { userId: '789', email: 'secure@example.com', name: 'Sam Secure' } });
  try {
    await broker.sendMessage(messageFromEvent(event));
  } finally {
    await broker.close?.();
  }
  console.log(`published ${event.eventId} over ${settings.brokers === undefined ? 'the in-memory broker' : 'SASL_SSL'}`);
  return event.eventId;
}

if (require.main === module) void main();
