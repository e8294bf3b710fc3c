// python-cqrs 5.3 on the real RabbitMQ, both ways. Its AMQPPublisher publishes to a `direct`
// exchange (auto-delete) with the topic as routing key into a queue named after the topic; our
// AMQPConsumer declares durable queues with dead-letter arguments on a `topic` exchange. So each
// side keeps its own queue, and one binding joins them (see docs/interop.md, RabbitMQ).
import type { DescMessage, JsonObject } from '@bufbuild/protobuf';
import { JsonValueDeserializer, JsonValueSerializer, NotificationEvent, isDeserializeError, messageFromEvent, silentLogger, type ValueDeserializer, type ValueSerializer } from '@cqrs/core';
import { OrderCreatedSchema } from '@cqrs/example-protos';
import { ProtobufValueDeserializer, ProtobufValueSerializer } from '@cqrs/protobuf';
import { AMQPConsumer, AMQPMessageBroker, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { unique, waitFor } from '@cqrs/test-fixtures';
import amqp from 'amqplib';
import { z } from 'zod';
import { OrderCreatedEvent, orderEvent, payloadJson, protoJson } from './order-events';
import { runPeer } from './python-peer';

jest.setTimeout(120_000);

const AMQP_URL = process.env.AMQP_URL?.trim() || 'amqp://guest:guest@127.0.0.1:5672';
const COUNT = 10;

class OrderJsonEvent extends NotificationEvent<JsonObject> {
  static override readonly payloadSchema = z.record(z.string(), z.json());
}

const jsonPayload = (i: number): JsonObject => ({ order_id: `order-${i}`, amount: 1.5 + i, nested: { zipCode: `${i}`, list: [true, null] } });

interface PythonConsumed {
  readonly messages: readonly { readonly event?: { event_id: string; event_timestamp: string; event_name: string; payload: JsonObject }; readonly error?: string }[];
}

/** Runs `body` with a raw amqplib channel, for the bindings that join the two sides. */
async function withChannel(body: (channel: amqp.Channel) => Promise<void>): Promise<void> {
  const connection = await amqp.connect(AMQP_URL);
  try {
    const channel = await connection.createChannel();
    await body(channel);
    await channel.close();
  } finally {
    await connection.close();
  }
}

/** Our AMQPConsumer on its own queue, bound also to python-cqrs's exchange; collects `count` events. */
async function consumeFromPython<E>(format: 'json' | 'protobuf', deserializer: ValueDeserializer<E>, events: readonly Record<string, unknown>[]): Promise<E[]> {
  const topic = unique('interop-amqp-topic');
  const pythonExchange = unique('interop-amqp-py');
  const queue = unique('interop-amqp-ours');
  const bodies: E[] = [];
  const errors: string[] = [];
  const consumer = new AMQPConsumer({ url: AMQP_URL, exchangeName: unique('interop-amqp-ex'), logger: silentLogger }).subscribe({ topics: [topic], queue, valueDeserializer: deserializer }, async (body, msg) => {
    if (isDeserializeError(body)) errors.push(`${body.errorType}: ${body.errorMessage}`);
    else if (body !== null) bodies.push(body);
    await msg.ack();
  });
  await consumer.start();
  try {
    // python-cqrs's exchange as it declares it, and our queue bound to it with the topic as key.
    await withChannel(async (channel) => {
      await channel.assertExchange(pythonExchange, 'direct', { durable: false, autoDelete: true });
      await channel.bindQueue(queue, pythonExchange, topic);
    });
    await runPeer('cqrs-amqp-produce', { url: AMQP_URL, exchange: pythonExchange, topic, format, events });
    await waitFor(() => bodies.length + errors.length >= events.length, () => `${events.length} events, got ${bodies.length} and ${JSON.stringify(errors)}`);
  } finally {
    await consumer.stop();
    await withChannel(async (channel) => void (await channel.deleteQueue(topic)));
  }
  expect(errors).toEqual([]);
  return bodies;
}

/** Publishes `events` through our AMQPMessageBroker and reads them with python-cqrs's AMQPConsumer. */
async function consumeInPython(format: 'json' | 'protobuf', serializer: ValueSerializer, events: readonly NotificationEvent<unknown>[], topic: string): Promise<PythonConsumed> {
  const exchangeName = unique('interop-amqp-ex');
  const queue = unique('interop-amqp-py-q');
  // The queue as python-cqrs's consumer declares it (not durable), bound to our topic exchange.
  await withChannel(async (channel) => {
    await channel.assertExchange(exchangeName, 'topic', { durable: true });
    await channel.assertQueue(queue, { durable: false });
    await channel.bindQueue(queue, exchangeName, topic);
  });
  const publisher = new AMQPPublisherAdapter({ url: AMQP_URL, logger: silentLogger });
  const broker = new AMQPMessageBroker({ publisher, exchangeName, valueSerializer: serializer });
  try {
    for (const event of events) await broker.sendMessage(messageFromEvent(event));
  } finally {
    await broker.close();
  }
  try {
    return await runPeer<PythonConsumed>('cqrs-amqp-consume', { url: AMQP_URL, queue, format, count: events.length });
  } finally {
    await withChannel(async (channel) => void (await channel.deleteQueue(queue)));
  }
}

describe('python-cqrs 5.3 AMQPMessageBroker → our AMQPConsumer', () => {
  test(`JSON: ${COUNT} events, camelCase envelope, hex ids, naive timestamps`, async () => {
    const events = Array.from({ length: COUNT }, (_, i) => ({ event_name: 'order_created', payload: jsonPayload(i), event_id: crypto.randomUUID(), event_timestamp: `2026-12-01T08:08:0${i}.123456` }));
    const bodies = await consumeFromPython('json', new JsonValueDeserializer({ model: OrderJsonEvent }), events);
    const byId = new Map(bodies.map((body) => [body.eventId, body]));
    expect(byId.size).toBe(COUNT);
    for (const sent of events) {
      const body = byId.get(sent.event_id)!;
      expect(body.eventTimestamp.toISOString()).toBe(`${sent.event_timestamp.slice(0, 23)}Z`);
      expect(body.payload).toEqual(sent.payload);
    }
  });

  test(`plain Protobuf: ${COUNT} events through ProtobufEventSerializer`, async () => {
    const originals = Array.from({ length: COUNT }, (_, i) => orderEvent(OrderCreatedEvent, 'ignored', i));
    const events = originals.map((event) => ({ event_id: event.eventId, event_timestamp: event.eventTimestamp.toISOString().slice(0, -1), event_name: event.eventName, payload: payloadJson(event.payload) }));
    const bodies = await consumeFromPython('protobuf', new ProtobufValueDeserializer<DescMessage, OrderCreatedEvent>({ model: OrderCreatedEvent, protobufModel: OrderCreatedSchema, registry: false }), events);
    const byId = new Map(bodies.map((body) => [body.eventId, body]));
    expect(byId.size).toBe(COUNT);
    for (const original of originals) {
      expect(byId.get(original.eventId)!.payload).toEqual(original.payload);
      expect(protoJson(byId.get(original.eventId)!)).toEqual(protoJson(original));
    }
  });
});

describe('our AMQPMessageBroker → python-cqrs 5.3 AMQPConsumer', () => {
  test(`JSON: ${COUNT} events read by JsonDeserializer`, async () => {
    const topic = unique('interop-amqp-topic');
    const originals = Array.from({ length: COUNT }, (_, i) => new OrderJsonEvent({ eventName: 'order_created', topic, payload: jsonPayload(i) }));
    const { messages } = await consumeInPython('json', new JsonValueSerializer(), originals, topic);
    expect(messages.filter((item) => item.error !== undefined)).toEqual([]);
    const byId = new Map(messages.map((item) => [item.event!.event_id, item.event!]));
    expect(byId.size).toBe(COUNT);
    for (const original of originals) {
      expect(byId.get(original.eventId)!.payload).toEqual(original.payload);
      expect(Date.parse(byId.get(original.eventId)!.event_timestamp)).toBe(original.eventTimestamp.getTime());
    }
  });

  test(`plain Protobuf: ${COUNT} events read by ProtobufEventSerializer`, async () => {
    const topic = unique('interop-amqp-topic');
    const originals = Array.from({ length: COUNT }, (_, i) => orderEvent(OrderCreatedEvent, topic, i));
    const { messages } = await consumeInPython('protobuf', new ProtobufValueSerializer({ registry: false }), originals, topic);
    expect(messages.filter((item) => item.error !== undefined)).toEqual([]);
    const byId = new Map(messages.map((item) => [item.event!.event_id, item.event!]));
    expect(byId.size).toBe(COUNT);
    for (const original of originals) expect(byId.get(original.eventId)!.payload).toEqual(payloadJson(original.payload));
  });
});
