import { DeadLetterHeaders, isDeserializeError, messageFromEvent, retryPolicy, silentLogger, StandardHeaders } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { KafkaConsumer } from '@cqrs/kafka';
import { ProtobufValueDeserializer, ProtobufValueSerializer } from '@cqrs/protobuf';
import { UserCreatedEvent, unique, waitFor } from '@cqrs/test-fixtures';
import { UserUpdatedEvent, userCreated } from './support/events';
import { kafkaEnv, plaintext } from './support/kafka-env';
import { committedOffsets, createTopic, publishRaw, readTopic } from './support/raw-kafka';

// jest reads testTimeout only from the root config, not from a project's: set it here.
jest.setTimeout(60_000);

const registry = { url: kafkaEnv.registryUrl };

async function bytesOf(serializer: ProtobufValueSerializer, event: UserCreatedEvent | UserUpdatedEvent): Promise<Buffer> {
  return Buffer.from((await serializer.serialize(messageFromEvent(event))).value);
}

describe('poison records', () => {
  test('land in the dead-letter topic with their original bytes while the good records around them are handled', async () => {
    const topic = unique('user_events_poison');
    await createTopic(topic, 1);
    const serializer = new ProtobufValueSerializer({ registry });
    const good = [userCreated(topic, 'u1'), userCreated(topic, 'u2'), userCreated(topic, 'u3')];
    const goodBytes = await Promise.all(good.map((event) => bytesOf(serializer, event)));
    const schemaId = goodBytes[0]!.readUInt32BE(1);
    const body = goodBytes[0]!.subarray(6);
    const unknownId = Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 0]);
    // Another message type, registered under another subject, then put on this topic by mistake.
    const otherType = await bytesOf(serializer, new UserUpdatedEvent({ eventName: 'user_updated', topic: `${topic}-other`, payload: { userId: 'u9', changedFields: ['email'] } }));
    const poison: Record<string, Buffer> = {
      empty: Buffer.alloc(0),
      'one byte': Buffer.from([0]),
      'wrong magic byte': Buffer.concat([Buffer.from([1]), goodBytes[0]!.subarray(1)]),
      'unknown schema id': Buffer.concat([unknownId, body]),
      'truncated varint': Buffer.concat([Buffer.from([0]), goodBytes[0]!.subarray(1, 5), Buffer.from([0x80])]),
      'garbage body': Buffer.concat([goodBytes[0]!.subarray(0, 6), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])]),
      'JSON bytes': Buffer.from(JSON.stringify(good[0]!.toJSON())),
      'another message type': otherType,
      'fails validation': await bytesOf(serializer, new UserCreatedEvent({ eventName: 'user_created', topic, payload: { userId: 'u4', email: 'not-an-email', name: 'x' } })),
    };
    expect(schemaId).toBeGreaterThan(0);
    const names = Object.keys(poison);
    // good, then the poison, a good one in the middle, good at the end: all on partition 0.
    const records = [
      { value: goodBytes[0]!, headers: { origin: 'good-0', [StandardHeaders.messageId]: good[0]!.eventId } },
      ...names.slice(0, 5).map((name) => ({ value: poison[name]!, headers: { origin: name } })),
      { value: goodBytes[1]!, headers: { origin: 'good-1', [StandardHeaders.messageId]: good[1]!.eventId } },
      ...names.slice(5).map((name) => ({ value: poison[name]!, headers: { origin: name } })),
      { value: goodBytes[2]!, headers: { origin: 'good-2', [StandardHeaders.messageId]: good[2]!.eventId } },
    ];
    await publishRaw(topic, records);

    const groupId = unique('poison-group');
    const handled: string[] = [];
    const consumer = new KafkaConsumer({
      ...plaintext(),
      groupId,
      maxWaitTimeMs: 200,
      logger: silentLogger,
      retry: retryPolicy({ maxAttempts: 3, backoff: () => 20 }),
    });
    consumer.subscribe(
      { topics: [topic], valueDeserializer: new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry }) },
      async (event, msg) => {
        if (isDeserializeError(event)) return msg.nack();
        if (event === null) return msg.nack(new Error('empty message'));
        handled.push(event.eventId);
        return msg.ack();
      },
    );
    await consumer.start();
    try {
      await waitFor(async () => (await committedOffsets(groupId, topic))[0] === String(records.length), 'the whole topic to be committed');
    } finally {
      await consumer.stop();
    }
    expect(handled).toEqual(good.map((event) => event.eventId));

    const dead = await readTopic(`${topic}.dlq`, names.length);
    expect(dead).toHaveLength(names.length);
    const byOrigin = new Map(dead.map(({ message }) => [String(message.headers?.origin), message]));
    expect([...byOrigin.keys()].sort()).toEqual([...names].sort());
    for (const name of names) {
      const letter = byOrigin.get(name)!;
      const headers = Object.fromEntries(Object.entries(letter.headers ?? {}).map(([k, v]) => [k, String(v)]));
      const sourceOffset = records.findIndex((record) => record.headers.origin === name);
      expect({ name, bytes: Buffer.from(letter.value ?? Buffer.alloc(0)).toString('hex') }).toEqual({ name, bytes: poison[name]!.toString('hex') });
      expect(headers[DeadLetterHeaders.sourceTopic]).toBe(topic);
      expect(headers[DeadLetterHeaders.sourcePartition]).toBe('0');
      expect(headers[DeadLetterHeaders.sourceOffset]).toBe(String(sourceOffset));
      expect(headers[DeadLetterHeaders.error]?.length).toBeGreaterThan(0);
      if (name === 'empty') {
        // Not a decoding error: retried up to the limit first.
        expect(headers[DeadLetterHeaders.attempts]).toBe('3');
        expect(headers[DeadLetterHeaders.error]).toBe('empty message');
      } else {
        // Bad bytes don't get better with retries: dead-lettered at once, with the typed error.
        expect({ name, attempts: headers[DeadLetterHeaders.attempts] }).toEqual({ name, attempts: '1' });
        expect(headers[DeadLetterHeaders.errorType]).toMatch(/^DeserializeProtobufError:/);
      }
    }
  });
});
