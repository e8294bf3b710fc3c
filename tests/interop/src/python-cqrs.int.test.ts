// python-cqrs 5.x on the real Kafka, both ways: its KafkaMessageBroker → our KafkaConsumer, and
// our KafkaMessageBroker → its JsonDeserializer / ProtobufEventSerializer; JSON and plain Protobuf.
import { randomUUID } from 'node:crypto';
import type { DescMessage, JsonObject } from '@bufbuild/protobuf';
import { JsonValueDeserializer, JsonValueSerializer, NotificationEvent, type EnvelopeStyle } from '@cqrs/core';
import { OrderCreatedSchema } from '@cqrs/example-protos';
import { ProtobufValueDeserializer, ProtobufValueSerializer } from '@cqrs/protobuf';
import { unique } from '@cqrs/test-fixtures';
import { z } from 'zod';
import { consume, createTopic, publish, services } from './kafka';
import { OrderCreatedEvent, orderEvent, payloadJson, protoJson } from './order-events';
import { runPeer } from './python-peer';

jest.setTimeout(120_000);

const COUNT = 20;

/** A python-cqrs 5.x JSON event as a TypeScript service declares it: any JSON payload. */
class OrderJsonEvent extends NotificationEvent<JsonObject> {
  static override readonly payloadSchema = z.record(z.string(), z.json());
}

/** A payload with the JSON kinds a service sends, snake_case and camelCase keys, nesting. */
function jsonPayload(i: number): JsonObject {
  return { order_id: `order-${i}`, amount: 12.5 + i, tags: ['a', `ünïcode ✓ ${i}`], nested: { zip_code: `1011${i}`, userId: i, deeper: [{ ok: true }, null] }, gift: i % 2 === 0, note: null };
}

interface Sent {
  readonly sent: readonly { readonly event_id: string; readonly event_timestamp: string }[];
}

interface PythonEvent {
  readonly class: string;
  readonly event_id: string;
  readonly event_timestamp: string;
  readonly event_name: string;
  readonly topic: string;
  readonly payload: JsonObject;
}

interface PythonConsumed {
  readonly messages: readonly { readonly key: string | null; readonly headers: Record<string, string>; readonly event?: PythonEvent; readonly error?: string }[];
}

/** A naive Python timestamp read as UTC, below the millisecond dropped: the documented rule, computed apart from ours. */
const naiveUtc = (text: string): number => Date.parse(`${text.length > 19 ? text.slice(0, 23) : text}Z`);

function byId<T>(items: readonly T[], id: (item: T) => string): Map<string, T> {
  const map = new Map(items.map((item) => [id(item), item]));
  expect(map.size).toBe(items.length);
  return map;
}

describe('python-cqrs 5.3 KafkaMessageBroker → our KafkaConsumer', () => {
  test(`JSON: ${COUNT} events with the camelCase envelope, bare hex ids and naive microsecond timestamps`, async () => {
    const topic = unique('interop-cqrs-json');
    await createTopic(topic);
    // Half with the ids and timestamps python-cqrs makes itself (uuid4, datetime.now()), half given.
    const events = Array.from({ length: COUNT }, (_, i) => ({
      event_name: 'order_created',
      payload: jsonPayload(i),
      ...(i % 2 === 0 ? { event_id: randomUUID(), event_timestamp: `2026-12-01T08:08:${String(i).padStart(2, '0')}.${String(835014 + i).padStart(6, '0')}` } : {}),
    }));
    const { sent } = await runPeer<Sent>('cqrs-produce', { brokers: services.brokers, topic, format: 'json', events });

    const consumed = await consume(topic, new JsonValueDeserializer({ model: OrderJsonEvent }), COUNT);
    const received = byId(consumed, (item) => item.body.eventId);
    expect([...received.keys()].sort()).toEqual(sent.map((item) => item.event_id).sort());
    sent.forEach((item, i) => {
      const { body, message } = received.get(item.event_id)!;
      expect(body).toBeInstanceOf(OrderJsonEvent);
      expect(body.eventTimestamp.getTime()).toBe(naiveUtc(item.event_timestamp));
      expect(body.eventName).toBe('order_created');
      expect(body.topic).toBe(topic);
      expect(body.payload).toEqual(events[i]!.payload);
      // The wire form this reads, as python-cqrs 5.3 writes it: no key, no headers.
      const wire = JSON.parse(Buffer.from(message.value!).toString('utf8')) as Record<string, unknown>;
      expect(Object.keys(wire).sort()).toEqual(['eventId', 'eventName', 'eventTimestamp', 'payload', 'topic']);
      expect(wire.eventId).toBe(item.event_id.replaceAll('-', ''));
      expect(wire.eventTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/);
      expect(message.key ?? null).toBeNull();
      expect(message.headers).toEqual({});
    });
  });

  test(`plain Protobuf: ${COUNT} events through ProtobufEventSerializer, every field kind`, async () => {
    const topic = unique('interop-cqrs-proto');
    await createTopic(topic);
    const originals = Array.from({ length: COUNT }, (_, i) => orderEvent(OrderCreatedEvent, topic, i));
    const events = originals.map((event) => ({ event_id: event.eventId, event_timestamp: event.eventTimestamp.toISOString().slice(0, -1), event_name: event.eventName, payload: payloadJson(event.payload) }));
    await runPeer<Sent>('cqrs-produce', { brokers: services.brokers, topic, format: 'protobuf', events });

    const consumed = await consume(topic, new ProtobufValueDeserializer<DescMessage, OrderCreatedEvent>({ model: OrderCreatedEvent, protobufModel: OrderCreatedSchema, registry: false }), COUNT);
    const received = byId(consumed, (item) => item.body.eventId);
    expect(received.size).toBe(COUNT);
    for (const original of originals) {
      const { body, message } = received.get(original.eventId)!;
      expect(body).toBeInstanceOf(OrderCreatedEvent);
      expect(body.eventTimestamp).toEqual(original.eventTimestamp);
      expect(body.payload).toEqual(original.payload);
      expect(protoJson(body)).toEqual(protoJson(original));
      expect(message.headers).toEqual({ event_name: original.eventName, message_id: original.eventId });
    }
  });
});

describe('our KafkaMessageBroker → python-cqrs 5.3 deserializers', () => {
  test.each<EnvelopeStyle>(['snake_case', 'camelCase'])(`JSON, envelope %s: ${COUNT} events read by JsonDeserializer`, async (envelope) => {
    const topic = unique('interop-ts-json');
    await createTopic(topic);
    const originals = Array.from({ length: COUNT }, (_, i) => new OrderJsonEvent({ eventName: 'order_created', topic, eventTimestamp: new Date(Date.UTC(2026, 11, 1, 8, 8, 0, 835) + i), payload: jsonPayload(i) }));
    await publish(originals, new JsonValueSerializer({ envelope }));

    const { messages } = await runPeer<PythonConsumed>('cqrs-consume', { brokers: services.brokers, topic, format: 'json', count: COUNT });
    expect(messages.filter((item) => item.error !== undefined)).toEqual([]);
    const received = byId(messages, (item) => item.event!.event_id);
    for (const original of originals) {
      const event = received.get(original.eventId)!.event!;
      expect(event.class).toBe('OrderEvent');
      expect(Date.parse(event.event_timestamp)).toBe(original.eventTimestamp.getTime());
      expect(event.event_timestamp).toMatch(/\+00:00$/);
      expect(event.event_name).toBe(original.eventName);
      expect(event.topic).toBe(topic);
      expect(event.payload).toEqual(original.payload);
    }
  });

  test(`plain Protobuf: ${COUNT} events read by ProtobufEventSerializer, every field kind`, async () => {
    const topic = unique('interop-ts-proto');
    await createTopic(topic);
    const originals = Array.from({ length: COUNT }, (_, i) => orderEvent(OrderCreatedEvent, topic, i));
    await publish(originals, new ProtobufValueSerializer({ registry: false }));

    const { messages } = await runPeer<PythonConsumed>('cqrs-consume', { brokers: services.brokers, topic, format: 'protobuf', count: COUNT });
    expect(messages.filter((item) => item.error !== undefined)).toEqual([]);
    const received = byId(messages, (item) => item.event!.event_id);
    for (const original of originals) {
      const event = received.get(original.eventId)!.event!;
      // from_proto makes a naive UTC datetime of the Timestamp.
      expect(naiveUtc(event.event_timestamp)).toBe(original.eventTimestamp.getTime());
      expect(event.event_name).toBe(original.eventName);
      expect(event.payload).toEqual(payloadJson(original.payload));
    }
  });
});
