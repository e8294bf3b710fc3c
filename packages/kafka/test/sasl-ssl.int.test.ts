import { JsonValueDeserializer, messageFromEvent, silentLogger, type LogFields, type Logger } from '@cqrs/core';
import { KafkaAuthenticationError, KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter, type KafkaConnectionOptions } from '@cqrs/kafka';
import { UserCreatedEvent, unique, waitFor } from '@cqrs/test-fixtures';
import { userCreated } from './support/events';
import { kafkaEnv, saslSsl } from './support/kafka-env';
import { createTopic } from './support/raw-kafka';

// jest reads testTimeout only from the root config, not from a project's: set it here.
jest.setTimeout(60_000);

const WRONG_PASSWORD = `wrong-${Date.now().toString(36)}-not-the-secret`;

/** A logger that keeps every line and its fields, to check what would have been printed. */
function recordingLogger(): { logger: Logger; printed: () => string } {
  const lines: unknown[] = [];
  const keep = (message: string, fields?: LogFields): void => void lines.push([message, fields]);
  return { logger: { debug: keep, info: keep, warn: keep, error: keep }, printed: () => JSON.stringify(lines) };
}

function failure(error: unknown): string {
  const e = error as Error;
  return JSON.stringify({ message: e.message, stack: e.stack, cause: String(e.cause), causeStack: (e.cause as Error | undefined)?.stack });
}

describe('SASL_SSL with SCRAM-SHA-256', () => {
  test('producer and consumer round-trip an event over the authenticated TLS listener', async () => {
    const topic = unique('user_events_sasl');
    await createTopic(topic, 1);
    const producer = new KafkaProducerAdapter({ ...saslSsl(), clientId: 'sasl-producer' });
    const broker = new KafkaMessageBroker({ producer });
    const received: UserCreatedEvent[] = [];
    const consumer = new KafkaConsumer({ ...saslSsl(), groupId: unique('sasl-group'), maxWaitTimeMs: 200 });
    consumer.subscribe({ topics: [topic], valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, (body) => {
      if (body instanceof UserCreatedEvent) received.push(body);
    });
    await consumer.start();
    try {
      const sent = userCreated(topic, 'sasl-user');
      await broker.sendMessage(messageFromEvent(sent));
      await waitFor(() => received.length === 1, 'the event over SASL_SSL');
      expect(received[0]?.eventId).toBe(sent.eventId);
      expect(received[0]?.payload).toEqual(sent.payload);
    } finally {
      await consumer.stop();
      await broker.close();
    }
  });

  test('a wrong password is a typed authentication error that never shows the password', async () => {
    const { logger, printed } = recordingLogger();
    const options: KafkaConnectionOptions = { ...saslSsl(WRONG_PASSWORD), logger, logLevel: 'debug' };
    const producer = new KafkaProducerAdapter({ ...options, connectionRetry: { retries: 1, initialMs: 50 } });
    const error = await producer.send([{ topic: unique('never'), value: Buffer.from('x') }]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KafkaAuthenticationError);
    const authError = error as KafkaAuthenticationError;
    expect(authError.code).toBe('KAFKA_AUTHENTICATION');
    expect(authError.retriable).toBe(false);
    expect(authError.message).toContain(`the brokers at ${kafkaEnv.saslBrokers} refused the SASL credentials`);
    expect(failure(error)).not.toContain(WRONG_PASSWORD);
    expect(printed()).not.toContain(WRONG_PASSWORD);
    await producer.close();

    const consumer = new KafkaConsumer({ ...options, groupId: unique('sasl-denied'), connectionRetry: { retries: 1, initialMs: 50 } });
    consumer.subscribe({ topics: [unique('never')], valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, () => undefined);
    const consumerError = await consumer.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(consumerError).toBeInstanceOf(KafkaAuthenticationError);
    expect(failure(consumerError)).not.toContain(WRONG_PASSWORD);
    expect(printed()).not.toContain(WRONG_PASSWORD);
  });

  test('a broker certificate from an untrusted CA fails the TLS handshake with a typed error', async () => {
    const { ssl: _trusted, ...untrusted } = saslSsl();
    const producer = new KafkaProducerAdapter({ ...untrusted, ssl: { rejectUnauthorized: true }, connectionRetry: { retries: 0 }, logger: silentLogger });
    await expect(producer.send([{ topic: unique('never'), value: null }])).rejects.toThrow(KafkaAuthenticationError);
    await expect(producer.send([{ topic: unique('never'), value: null }])).rejects.toThrow(/TLS handshake with .* failed/);
    await producer.close();
  });
});
