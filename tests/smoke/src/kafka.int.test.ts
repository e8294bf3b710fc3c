import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, Partitioners, type KafkaConfig } from 'kafkajs';
import { serviceEnv } from './service-env.js';
import { uniqueName, waitFor } from './wait-for.js';

// Jest's default of 5 s is too short for a first connection to a service.
const TIMEOUT_MS = 60_000;

interface Received {
  key: string | undefined;
  value: string | undefined;
}

/** Creates a topic, produces one record, consumes it with a new group, deletes the topic. */
async function roundTrip(label: string, config: Omit<KafkaConfig, 'clientId'>): Promise<void> {
  const kafka = new Kafka({ ...config, clientId: `smoke-${label}`, logLevel: logLevel.ERROR });
  const topic = uniqueName(`smoke-${label}`);
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  // A short fetch wait lets disconnect() return soon after the record arrived.
  const consumer = kafka.consumer({ groupId: uniqueName(`smoke-${label}-group`), maxWaitTimeInMs: 500 });
  const received: Received[] = [];
  const value = `hello over ${label} ${randomUUID()}`;
  try {
    await admin.connect();
    // Not waitForLeaders: kafkajs gives up if the broker does not know the new topic yet; the send retries.
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: false });

    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'smoke', value }] });

    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({ key: message.key?.toString(), value: message.value?.toString() });
      },
    });

    const got = await waitFor(() => received.find((r) => r.value === value), {
      timeoutMs: 45_000,
      description: `the record on ${topic}`,
    });
    expect(got).toEqual({ key: 'smoke', value });
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

describe('Kafka', () => {
  test('produces and consumes one record on the PLAINTEXT listener', async () => {
    await roundTrip('plaintext', { brokers: serviceEnv.kafka.brokers });
  }, TIMEOUT_MS);

  test('produces and consumes one record on the SASL_SSL listener with SCRAM', async () => {
    const { saslBrokers, sasl, sslCaFile } = serviceEnv.kafka;
    const credentials = { username: sasl.username, password: sasl.password };
    await roundTrip('sasl-ssl', {
      brokers: saslBrokers,
      ssl: { ca: [readFileSync(sslCaFile, 'utf8')] },
      sasl:
        sasl.mechanism === 'scram-sha-512'
          ? { mechanism: 'scram-sha-512', ...credentials }
          : sasl.mechanism === 'plain'
            ? { mechanism: 'plain', ...credentials }
            : { mechanism: 'scram-sha-256', ...credentials },
    });
  }, TIMEOUT_MS);

  test('rejects a wrong SCRAM password', async () => {
    const { saslBrokers, sasl, sslCaFile } = serviceEnv.kafka;
    const kafka = new Kafka({
      clientId: 'smoke-bad-password',
      brokers: saslBrokers,
      ssl: { ca: [readFileSync(sslCaFile, 'utf8')] },
      sasl: { mechanism: 'scram-sha-256', username: sasl.username, password: `${sasl.password}-wrong` },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    try {
      await expect(admin.connect()).rejects.toThrow(/SASL SCRAM SHA256 authentication failed|Authentication failed/i);
    } finally {
      await admin.disconnect();
    }
  }, TIMEOUT_MS);
});
