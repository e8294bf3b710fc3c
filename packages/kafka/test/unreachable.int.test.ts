import { messageFromEvent, silentLogger } from '@cqrs/core';
import { KafkaConnectionError, KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { ConsumerStateError, JsonValueDeserializer } from '@cqrs/core';
import { UserCreatedEvent } from '@cqrs/test-fixtures';
import { userCreated } from './support/events';

// jest reads testTimeout only from the root config, not from a project's: set it here.
jest.setTimeout(60_000);

describe('an unreachable broker', () => {
  test('fails a publish with a clear, retriable error after the configured retries', async () => {
    const producer = new KafkaProducerAdapter({ bootstrapServers: '127.0.0.1:1', logger: silentLogger, connectionTimeoutMs: 1000, connectionRetry: { retries: 2, initialMs: 50, maxMs: 200 } });
    const broker = new KafkaMessageBroker({ producer });
    const error = await broker.sendMessage(messageFromEvent(userCreated('users', 'u1'))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KafkaConnectionError);
    const connectionError = error as KafkaConnectionError;
    expect(connectionError.code).toBe('KAFKA_CONNECTION');
    expect(connectionError.retriable).toBe(true);
    expect(connectionError.message).toBe('Connecting the Kafka producer: could not reach Kafka at 127.0.0.1:1 after 3 attempt(s): Connection error: connect ECONNREFUSED 127.0.0.1:1');
    await broker.close();
  });

  test('fails a consumer start with the same kind of error', async () => {
    const consumer = new KafkaConsumer({ bootstrapServers: '127.0.0.1:1', groupId: 'never', logger: silentLogger, connectionTimeoutMs: 1000, connectionRetry: { retries: 1, initialMs: 50 } });
    consumer.subscribe({ topics: ['users'], valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) }, () => undefined);
    await expect(consumer.start()).rejects.toThrow(KafkaConnectionError);
    await expect(consumer.start()).rejects.toThrow(ConsumerStateError);
  });
});
