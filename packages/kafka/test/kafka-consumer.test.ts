import { ConsumerStateError, DeadLetterHeaders, JsonValueDeserializer, NotificationEvent, SubscriptionError, retryPolicy, silentLogger, type LogFields, type Logger } from '@cqrs/core';
import {
  KafkaConfigError,
  KafkaConnectionError,
  KafkaConsumer,
  KafkaConsumerCrashedError,
  KafkaProducerAdapter,
  type KafkaConsumedMessage,
  type KafkaConsumerOptions,
} from '@cqrs/kafka';
import { FakeBatch, FakeConsumer, FakeProducer, record } from './fakes';

class UserCreated extends NotificationEvent<{ userId: string }> {}
const deserializer = new JsonValueDeserializer<UserCreated>({ model: UserCreated });
const json = (userId: string): string => JSON.stringify(new UserCreated({ eventName: 'user_created', topic: 'users', payload: { userId } }).toJSON());

/** A connection loss kafkajs restarts from. */
function retriableCrash(): Error {
  return Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), { name: 'KafkaJSNumberOfRetriesExceeded', retriable: true });
}

function setup(options: Partial<KafkaConsumerOptions> = {}): { consumer: KafkaConsumer; fake: FakeConsumer; dlq: FakeProducer } {
  const fake = new FakeConsumer();
  const dlq = new FakeProducer();
  const deadLetterProducer = new KafkaProducerAdapter({ bootstrapServers: '127.0.0.1:9092' }, () => dlq);
  const consumer = new KafkaConsumer(
    { bootstrapServers: '127.0.0.1:9092', groupId: 'g', logger: silentLogger, deadLetterProducer, retry: retryPolicy({ maxAttempts: 2, backoff: () => 0 }), ...options },
    (kafka, config) => {
      fake.config = { kafka, consumer: config };
      return fake;
    },
  );
  return { consumer, fake, dlq };
}

describe('KafkaConsumer', () => {
  test('start() joins with manual commits, no auto-resolve and the configured concurrency', async () => {
    const { consumer, fake } = setup({ partitionsConsumedConcurrently: 3, fromBeginning: false, sessionTimeoutMs: 6000 });
    consumer.subscribe({ topics: ['users', 'orders'], valueDeserializer: deserializer }, () => undefined);
    await consumer.start();
    expect(fake.subscriptions).toEqual([{ topics: ['users', 'orders'], fromBeginning: false }]);
    expect(fake.runConfig).toMatchObject({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 3 });
    expect(fake.config?.consumer).toMatchObject({ groupId: 'g', sessionTimeout: 6000 });
    await consumer.stop();
  });

  test('routes each topic to its subscription and decodes events', async () => {
    const { consumer, fake } = setup();
    const users: unknown[] = [];
    const orders: string[] = [];
    consumer.subscribe({ topics: ['users'], valueDeserializer: deserializer }, (body) => void users.push(body));
    consumer.subscribe({ topics: ['orders'], valueDeserializer: { deserialize: (data) => Buffer.from(data ?? []).toString() } }, (body) => void orders.push(String(body)));
    await consumer.start();
    await fake.deliver(new FakeBatch([record(0, json('u1'))], 'users'));
    const orderBatch = new FakeBatch([record(7, 'order-7')], 'orders', 1);
    await fake.deliver(orderBatch);
    expect(users).toHaveLength(1);
    expect((users[0] as UserCreated).payload.userId).toBe('u1');
    expect(orders).toEqual(['order-7']);
    expect(orderBatch.commits).toEqual(['8']);
    await consumer.stop();
  });

  test('dead-letters the original bytes, key and headers with the reason in headers', async () => {
    const { consumer, fake, dlq } = setup({ deadLetterTopic: (topic) => `dead.${topic}` });
    consumer.subscribe({ topics: ['users'], valueDeserializer: deserializer }, async (body: unknown, msg: KafkaConsumedMessage) => {
      if (body instanceof UserCreated) return;
      await msg.nack();
    });
    await consumer.start();
    const poison = record(5, '{"not":"an event"', { message_name: 'user_created', binary: '\u0001' }, 'user-9');
    const batch = new FakeBatch([poison, record(6, json('u2'))], 'users', 2);
    await fake.deliver(batch);
    expect(dlq.sent).toHaveLength(1);
    const letter = dlq.sent[0]!;
    expect(letter.topic).toBe('dead.users');
    expect(letter.key).toEqual(Buffer.from('user-9'));
    expect(letter.value).toBe(poison.value);
    expect(letter.headers).toMatchObject({
      message_name: poison.headers?.message_name,
      [DeadLetterHeaders.attempts]: '1',
      [DeadLetterHeaders.sourceTopic]: 'users',
      [DeadLetterHeaders.sourcePartition]: '2',
      [DeadLetterHeaders.sourceOffset]: '5',
      [DeadLetterHeaders.errorType]: 'DeserializeJsonError:SyntaxError',
    });
    expect(batch.commits).toEqual(['7']);
    await consumer.stop();
    // A dead-letter producer passed in belongs to the caller: not closed by stop().
    expect(dlq.disconnects).toBe(0);
  });

  test('stop() lets the record in flight finish and commit, then leaves the group', async () => {
    const { consumer, fake } = setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const handled: string[] = [];
    consumer.subscribe({ topics: ['users'], valueDeserializer: deserializer }, async (_body, msg) => {
      entered();
      await gate;
      handled.push(msg.offset);
    });
    await consumer.start();
    const batch = new FakeBatch([record(0, json('a')), record(1, json('b'))], 'users');
    const delivering = fake.deliver(batch);
    await inHandler;
    const stopping = consumer.stop();
    release();
    await Promise.all([stopping, delivering]);
    expect(handled).toEqual(['0']);
    expect(batch.commits).toEqual(['1']);
    expect(fake.disconnects).toBe(1);
    await consumer.stop();
    expect(fake.disconnects).toBe(1);
  });

  test('SIGTERM stops the consumer when handleSignals is on', async () => {
    const { consumer, fake } = setup({ handleSignals: true });
    consumer.subscribe({ topics: ['users'], valueDeserializer: deserializer }, () => undefined);
    const listenersBefore = process.listenerCount('SIGTERM');
    const running = consumer.run();
    for (let i = 0; i < 50 && !fake.running; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(fake.running).toBe(true);
    expect(process.listenerCount('SIGTERM')).toBe(listenersBefore + 1);
    // Call only the listener the consumer added, not every SIGTERM listener of the test process.
    const listener = process.listeners('SIGTERM').at(-1) as (signal: NodeJS.Signals) => void;
    // With no other listener the signal is re-raised after the stop: keep it from the test runner.
    const kill = jest.spyOn(process, 'kill').mockImplementation(() => true);
    try {
      listener('SIGTERM');
      await running;
      // The re-raise follows the stop by a few microtasks.
      await new Promise((resolve) => setImmediate(resolve));
      expect(kill).toHaveBeenCalledTimes(listenersBefore === 0 ? 1 : 0);
    } finally {
      kill.mockRestore();
    }
    expect(fake.disconnects).toBe(1);
    expect(process.listenerCount('SIGTERM')).toBe(listenersBefore);
  });

  test('a connect failure at start is a typed error and the consumer is closed', async () => {
    const { consumer, fake } = setup();
    const refused = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), { name: 'KafkaJSConnectionError' });
    fake.failConnect = refused;
    consumer.subscribe({ topics: ['users'], valueDeserializer: deserializer }, () => undefined);
    await expect(consumer.start()).rejects.toBeInstanceOf(KafkaConnectionError);
    await expect(consumer.start()).rejects.toBeInstanceOf(ConsumerStateError);
  });

  test('subscriptions are checked', () => {
    const { consumer } = setup();
    consumer.subscribe({ topics: ['users'], valueDeserializer: deserializer }, () => undefined);
    expect(() => consumer.subscribe({ topics: ['users'], valueDeserializer: deserializer }, () => undefined)).toThrow(SubscriptionError);
    expect(() => consumer.subscribe({ topics: [], valueDeserializer: deserializer }, () => undefined)).toThrow(SubscriptionError);
    expect(() => setup({ groupId: '' })).toThrow(KafkaConfigError);
    expect(() => setup({ partitionsConsumedConcurrently: 0 })).toThrow(KafkaConfigError);
  });

  test('start() without a subscription is refused', async () => {
    await expect(setup().consumer.start()).rejects.toBeInstanceOf(SubscriptionError);
  });

  test('a crash kafkajs will not restart from ends run() with a typed error', async () => {
    const { consumer, fake } = setup();
    consumer.subscribe({ topics: ['users'], valueDeserializer: deserializer }, () => undefined);
    const running = consumer.run();
    for (let i = 0; i < 50 && !fake.running; i += 1) await new Promise((resolve) => setImmediate(resolve));
    fake.crashListener?.({ payload: { error: Object.assign(new Error('Not authorized to access group'), { name: 'KafkaJSProtocolError' }), restart: false } });
    await expect(running).rejects.toBeInstanceOf(KafkaConsumerCrashedError);
    await expect(running).rejects.toThrow('Kafka consumer group g stopped after an error: Not authorized to access group');
    await expect(consumer.start()).rejects.toBeInstanceOf(ConsumerStateError);
  });

  test('a restart kafkajs scheduled before stop() never runs', async () => {
    const { consumer, fake } = setup();
    consumer.subscribe({ topics: ['users'], valueDeserializer: deserializer }, () => undefined);
    await consumer.start();
    await fake.crash(retriableCrash(), 30);
    await consumer.stop();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(fake.restarts).toBe(0);
    expect(fake.running).toBe(false);
    expect(consumer.state).toBe('stopped');
  });

  test('a crash while stop() is leaving the group schedules no restart and is not reported as a failure', async () => {
    const lines: string[] = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => void lines.push(m) };
    const { consumer, fake } = setup({ logger });
    consumer.subscribe({ topics: ['users'], valueDeserializer: deserializer }, () => undefined);
    const running = consumer.run();
    for (let i = 0; i < 50 && !fake.running; i += 1) await new Promise((resolve) => setImmediate(resolve));
    let leave = (): void => undefined;
    fake.disconnectGate = new Promise((resolve) => (leave = resolve));
    const stopping = consumer.stop();
    await fake.crash(retriableCrash(), 10);
    leave();
    await stopping;
    await expect(running).resolves.toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(fake.restarts).toBe(0);
    expect(lines).toEqual([]);
  });

  test('a stopped consumer opens no broker connection, so a restart under way cannot rejoin', async () => {
    const { consumer, fake } = setup();
    consumer.subscribe({ topics: ['users'], valueDeserializer: deserializer }, () => undefined);
    await consumer.start();
    const socketFactory = fake.config?.kafka.socketFactory;
    expect(socketFactory).toBeInstanceOf(Function);
    await consumer.stop();
    expect(() => socketFactory?.({ host: '127.0.0.1', port: 9092, ssl: {}, onConnect: () => undefined })).toThrow('the consumer is stopped');
  });

  test('createTopics creates the subscribed topics before subscribing; the consumer never auto-creates', async () => {
    const fake = new FakeConsumer();
    const created: unknown[] = [];
    const admin = { connect: async () => undefined, disconnect: async () => undefined, createTopics: async (request: unknown) => (created.push(request), true) };
    const consumer = new KafkaConsumer(
      { bootstrapServers: '127.0.0.1:9092', groupId: 'g', logger: silentLogger, createTopics: { partitions: 6 } },
      (kafka, config) => ((fake.config = { kafka, consumer: config }), fake),
      () => admin,
    );
    consumer.subscribe({ topics: ['users'], valueDeserializer: deserializer }, () => undefined);
    await consumer.start();
    expect(created).toEqual([{ waitForLeaders: false, topics: [{ topic: 'users', numPartitions: 6, replicationFactor: -1 }] }]);
    expect(fake.config?.consumer.allowAutoTopicCreation).toBe(false);
    await consumer.stop();
  });

  test('createTopics: a topic the broker does not know yet right after creating it is waited for, not an error', async () => {
    const fake = new FakeConsumer();
    let subscribeCalls = 0;
    fake.subscribe = async (subscription) => {
      subscribeCalls += 1;
      // What a broker may answer for a topic it created a moment ago.
      if (subscribeCalls === 1) throw Object.assign(new Error('This server does not host this topic-partition'), { name: 'KafkaJSProtocolError', type: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true });
      fake.subscriptions.push(subscription);
    };
    const admin = { connect: async () => undefined, disconnect: async () => undefined, createTopics: async () => true };
    const consumer = new KafkaConsumer(
      { bootstrapServers: '127.0.0.1:9092', groupId: 'g', logger: silentLogger, createTopics: true },
      (kafka, config) => ((fake.config = { kafka, consumer: config }), fake),
      () => admin,
    );
    consumer.subscribe({ topics: ['users'], valueDeserializer: deserializer }, () => undefined);
    await consumer.start();
    expect(subscribeCalls).toBe(2);
    expect(fake.running).toBe(true);
    await consumer.stop();
  });

  test('startTimeoutMs is checked', () => {
    expect(() => setup({ startTimeoutMs: -1 })).toThrow(KafkaConfigError);
  });

  test('crash reports reach the logger without the password', () => {
    const lines: string[] = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string, _f?: LogFields) => void lines.push(m) };
    const { fake } = setup({ logger, securityProtocol: 'SASL_PLAINTEXT', saslMechanism: 'PLAIN', saslUsername: 'u', saslPassword: 's3cr3t-pw' });
    fake.crashListener?.({ payload: { error: new Error('broker said s3cr3t-pw is wrong'), restart: true } });
    expect(lines).toEqual(['Kafka consumer g crashed, restarting: broker said *** is wrong']);
  });
});
