// confluent-kafka 2.x's Protobuf serdes on the real Kafka and registry, both ways, for a message
// at index [0], a later top-level one [1] and a nested one [1, 0], every field kind compared.
import type { JsonObject } from '@bufbuild/protobuf';
import { ProtobufValueDeserializer, ProtobufValueSerializer, readFrameHeader, type FrameHeader } from '@cqrs/protobuf';
import { unique } from '@cqrs/test-fixtures';
import { consume, createTopic, publish, services } from './kafka';
import { orderEvent, orderEventKinds, protoJson } from './order-events';
import { runPeer } from './python-peer';

jest.setTimeout(120_000);

const COUNT = 10;

interface Consumed {
  readonly messages: readonly { readonly message: JsonObject }[];
}

describe.each(orderEventKinds)('confluent-kafka ProtobufSerializer/ProtobufDeserializer, $pythonType at $indexes', ({ model, pythonType, indexes }) => {
  test(`Python → ours: ${COUNT} messages, registry-framed`, async () => {
    const topic = unique(`interop-cf-py-${indexes.join('-')}`);
    await createTopic(topic);
    const originals = Array.from({ length: COUNT }, (_, i) => orderEvent(model, topic, i));
    await runPeer('confluent-produce', { brokers: services.brokers, registry: services.registryUrl, topic, type: pythonType, messages: originals.map(protoJson) });

    const deserializer = new ProtobufValueDeserializer({ model, protobufModel: model.protoSchema, registry: { url: services.registryUrl } });
    const consumed = await consume(topic, deserializer, COUNT);
    const received = new Map(consumed.map((item) => [item.body.eventId, item]));
    expect(received.size).toBe(COUNT);
    for (const original of originals) {
      const { body, message } = received.get(original.eventId)!;
      expect(body).toBeInstanceOf(model);
      expect(body.eventTimestamp).toEqual(original.eventTimestamp);
      expect(body.payload).toEqual(original.payload);
      expect(protoJson(body)).toEqual(protoJson(original));
      expect((readFrameHeader(message.value!) as FrameHeader).messageIndexes).toEqual(indexes);
    }
  });

  test(`ours → Python: ${COUNT} messages, read by ProtobufDeserializer`, async () => {
    const topic = unique(`interop-cf-ts-${indexes.join('-')}`);
    await createTopic(topic);
    const originals = Array.from({ length: COUNT }, (_, i) => orderEvent(model, topic, i));
    await publish(originals, new ProtobufValueSerializer({ registry: { url: services.registryUrl } }));

    const { messages } = await runPeer<Consumed>('confluent-consume', { brokers: services.brokers, registry: services.registryUrl, topic, type: pythonType, count: COUNT });
    const received = new Map(messages.map((item) => [item.message.event_id as string, item.message]));
    expect(received.size).toBe(COUNT);
    for (const original of originals) expect(received.get(original.eventId)).toEqual(protoJson(original));
  });
});
