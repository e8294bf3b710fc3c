import { NotificationEvent, StandardHeaders, messageFromEvent, type EncodedValue, type Message, type ValueSerializer } from '@cqrs/core';
import { KafkaClosedError, KafkaConfigError, KafkaConnectionError, KafkaMessageBroker, KafkaProducerAdapter, KafkaPublishError, type KafkaProducerOptions } from '@cqrs/kafka';
import { CompressionTypes } from 'kafkajs';
import { FakeProducer } from './fakes';

function adapter(options: Partial<KafkaProducerOptions> = {}): { producer: KafkaProducerAdapter; fake: FakeProducer } {
  const fake = new FakeProducer();
  const producer = new KafkaProducerAdapter({ bootstrapServers: '127.0.0.1:9092', ...options }, (kafka, config) => {
    fake.config = { kafka, producer: config };
    return fake;
  });
  return { producer, fake };
}

class UserCreated extends NotificationEvent<{ userId: string }> {}
const event = (userId: string, key?: string): UserCreated =>
  new UserCreated({ eventName: 'user_created', topic: 'users', payload: { userId }, ...(key === undefined ? {} : { key }) });

describe('KafkaProducerAdapter', () => {
  test('connects lazily on the first send, once for concurrent sends', async () => {
    const { producer, fake } = adapter();
    expect(fake.connects).toBe(0);
    await Promise.all([producer.send([{ topic: 't', value: new Uint8Array([1]) }]), producer.send([{ topic: 't', value: null }])]);
    expect(fake.connects).toBe(1);
    expect(fake.batches).toHaveLength(2);
  });

  test('connects again after a failed connect, with a typed error naming the broker', async () => {
    const { producer, fake } = adapter();
    fake.failConnects = 1;
    const failure = producer.send([{ topic: 't', value: null }]);
    await expect(failure).rejects.toBeInstanceOf(KafkaConnectionError);
    await expect(failure).rejects.toThrow('could not reach Kafka at 127.0.0.1:9092 after 3 attempt(s)');
    await producer.send([{ topic: 't', value: null }]);
    expect(fake.connects).toBe(2);
    expect(fake.batches).toHaveLength(1);
  });

  test('sends one batch grouped by topic, in order, with acks and compression', async () => {
    const { producer, fake } = adapter({ acks: 1, compression: 'gzip', ackTimeoutMs: 5000 });
    const bytes = new Uint8Array([9, 8, 7]);
    await producer.send([
      { topic: 'a', key: 'k1', value: bytes, headers: { h: 'v' } },
      { topic: 'b', value: null },
      { topic: 'a', key: new Uint8Array([65]), value: null, partition: 2 },
    ]);
    expect(fake.batches).toHaveLength(1);
    const batch = fake.batches[0]!;
    expect(batch).toMatchObject({ acks: 1, compression: CompressionTypes.GZIP, timeout: 5000 });
    expect(batch.topicMessages?.map((t) => [t.topic, t.messages.length])).toEqual([['a', 2], ['b', 1]]);
    const first = batch.topicMessages?.[0]?.messages[0];
    expect(Buffer.isBuffer(first?.value)).toBe(true);
    expect([...(first?.value as Buffer)]).toEqual([9, 8, 7]);
    expect(batch.topicMessages?.[0]?.messages[1]).toEqual({ key: Buffer.from('A'), value: null, partition: 2 });
  });

  test('a record with Buffer bytes goes to kafkajs as it is; one with a plain Uint8Array value is copied into a Buffer view', async () => {
    const { producer, fake } = adapter();
    const ready = { topic: 't', key: 'k', value: Buffer.from([1, 2]), headers: { h: 'v' } };
    const plain = { topic: 't', key: new Uint8Array([66]), value: new Uint8Array([3]) };
    await producer.send([ready, plain, { topic: 't', value: null }]);
    const [sent] = fake.batches[0]?.topicMessages ?? [];
    expect(sent?.topic).toBe('t');
    expect(sent?.messages[0]).toBe(ready);
    expect(sent?.messages[1]).not.toBe(plain);
    expect(Buffer.isBuffer(sent?.messages[1]?.value)).toBe(true);
    expect(sent?.messages[1]).toEqual({ key: Buffer.from('B'), value: Buffer.from([3]) });
    expect(sent?.messages[2]).toEqual({ topic: 't', value: null });
  });

  test('publish failures become KafkaPublishError', async () => {
    const { producer, fake } = adapter();
    fake.failSends = Object.assign(new Error('This server does not host this topic-partition'), { name: 'KafkaJSProtocolError' });
    await expect(producer.send([{ topic: 't', value: null }])).rejects.toThrow(KafkaPublishError);
  });

  test('acks default to all; idempotence forces one request in flight and refuses other acks', () => {
    const plain = adapter();
    expect(plain.fake.config?.producer).toMatchObject({ idempotent: false, allowAutoTopicCreation: true });
    expect(plain.fake.config?.producer.maxInFlightRequests).toBeUndefined();
    const idempotent = adapter({ idempotent: true });
    expect(idempotent.fake.config?.producer).toMatchObject({ idempotent: true, maxInFlightRequests: 1 });
    expect(idempotent.fake.config?.producer.retry?.retries).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => adapter({ idempotent: true, acks: 1 })).toThrow(KafkaConfigError);
    expect(() => adapter({ compression: 'brotli' as never })).toThrow(KafkaConfigError);
    expect(() => adapter({ acks: 2 as never })).toThrow(KafkaConfigError);
  });

  test('close() disconnects once; later sends are refused', async () => {
    const { producer, fake } = adapter();
    await producer.send([{ topic: 't', value: null }]);
    await producer.close();
    await producer.close();
    expect(fake.disconnects).toBe(1);
    await expect(producer.send([{ topic: 't', value: null }])).rejects.toBeInstanceOf(KafkaClosedError);
  });

  test('close() before any send has nothing to disconnect', async () => {
    const { producer, fake } = adapter();
    await producer.close();
    expect(fake.disconnects).toBe(0);
  });
});

describe('KafkaMessageBroker', () => {
  test('sendMessage serializes, keys by the event key and adds the standard headers', async () => {
    const { producer, fake } = adapter();
    const broker = new KafkaMessageBroker({ producer });
    const created = event('42', 'user-42');
    await broker.sendMessage(messageFromEvent(created, { trace: 'abc' }));
    const [sent] = fake.sent;
    expect(sent?.topic).toBe('users');
    expect(sent?.key).toBe('user-42');
    expect(sent?.headers).toEqual({
      'content-type': 'application/json',
      trace: 'abc',
      [StandardHeaders.messageName]: 'user_created',
      [StandardHeaders.messageId]: created.eventId,
    });
    expect(JSON.parse(String(sent?.value))).toMatchObject({ event_id: created.eventId, payload: { userId: '42' } });
  });

  test('sendMessages goes out in one request and keeps the order', async () => {
    const { producer, fake } = adapter();
    const broker = new KafkaMessageBroker({ producer });
    const events = [event('1', 'a'), event('2', 'b'), event('3', 'a')];
    await broker.sendMessages(events.map((e) => messageFromEvent(e)));
    await broker.sendMessages([]);
    expect(fake.batches).toHaveLength(1);
    expect(fake.sent.map((s) => s.headers[StandardHeaders.messageId])).toEqual(events.map((e) => e.eventId));
  });

  test('a key function overrides the key; without a key the record is keyless', async () => {
    const { producer, fake } = adapter();
    await new KafkaMessageBroker({ producer, key: (m: Message) => `tenant-${(m.payload as UserCreated).payload.userId}` }).sendMessage(messageFromEvent(event('7', 'ignored')));
    await new KafkaMessageBroker({ producer }).sendMessage(messageFromEvent(event('8')));
    expect(fake.sent.map((s) => s.key)).toEqual(['tenant-7', undefined]);
  });

  test('uses the broker value serializer and its headers', async () => {
    const serializer: ValueSerializer = {
      contentType: 'application/x-test',
      serialize: async (m: Message): Promise<EncodedValue> => ({ value: new TextEncoder().encode(m.messageId), headers: { 'content-type': 'application/x-test', schema: '1' } }),
    };
    const { producer, fake } = adapter();
    const broker = new KafkaMessageBroker({ producer, valueSerializer: serializer });
    const created = event('1');
    await broker.sendMessage(messageFromEvent(created));
    expect(String(fake.sent[0]?.value)).toBe(created.eventId);
    expect(fake.sent[0]?.headers).toMatchObject({ schema: '1', 'content-type': 'application/x-test' });
    await broker.close();
    expect(fake.disconnects).toBe(1);
  });
});
