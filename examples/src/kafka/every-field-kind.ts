// One event with every kind of Protobuf field through Kafka and back: repeated fields, maps,
// enums, a oneof, well-known types (Timestamp, Duration, wrappers, Struct, Value), int64 beyond
// 2^53 and bytes. The payload schema states them as a TypeScript service reads them (Date,
// bigint, null, JSON); `fromPlainObject` builds the message in `proto()` and the deserializer's
// default mapping hands the same shapes back. See docs/protobuf.md, "Proto ↔ payload mapping".
//
//   KAFKA_BROKERS=127.0.0.1:9092 KAFKA_SCHEMA_REGISTRY_URL=http://127.0.0.1:8085/apis/ccompat/v7 node dist/kafka/every-field-kind.js
//
// Without KAFKA_BROKERS it runs on core's in-memory broker and registry.
import 'reflect-metadata';
import { NotificationEvent, isDeserializeError, messageFromEvent, type MessageBroker } from '@cqrs/core';
import { OrderCreatedSchema, OrderStatus, type OrderCreated } from '@cqrs/example-protos';
import { KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { ProtobufValueDeserializer, fromPlainObject, type ProtoEvent } from '@cqrs/protobuf';
import { z } from 'zod';
import { inMemoryBroker, registryOf, serializerOf, settingsOf, type KafkaExampleOptions } from './settings';
import { serve } from './subscriber';


const Line = z.object({ sku: z.string(), quantity: z.number().int(), priceMicros: z.bigint() });

/** `cqrs.interop.v1.OrderDetails` in the default mapping. */
const OrderDetails = z.object({
  orderId: z.string(),
  amountMicros: z.bigint(), // int64: bigint, exact beyond 2^53
  sequence: z.bigint(), // uint64
  delta: z.number().int(), // sint32
  ratio: z.number(),
  gift: z.boolean(),
  signature: z.instanceof(Uint8Array), // bytes
  status: z.enum(OrderStatus), // enum: its number (`mapping: { enums: 'name' }` for names)
  history: z.array(z.enum(OrderStatus)), // repeated enum
  tags: z.array(z.string()), // repeated scalar
  lines: z.array(Line), // repeated message
  counters: z.record(z.string(), z.bigint()), // map<string, int64>
  linesBySku: z.record(z.string(), Line), // map<string, message>
  email: z.string().optional(), // oneof contact: the member that is set, under its own name
  phone: z.string().optional(),
  giftLine: Line.optional(),
  placedAt: z.date().optional(), // google.protobuf.Timestamp
  holdFor: z.number().optional(), // google.protobuf.Duration, in milliseconds
  note: z.string().nullable(), // google.protobuf.StringValue: null when unset
  discountMicros: z.bigint().nullable(), // google.protobuf.Int64Value
  express: z.boolean().nullable(), // google.protobuf.BoolValue
  attributes: z.record(z.string(), z.json()).optional(), // google.protobuf.Struct
  extra: z.json().optional(), // google.protobuf.Value
  coupon: z.string().optional(), // proto3 optional
});

/** An order was created [NotificationEvent with proto()]. */
export class OrderCreatedEvent extends NotificationEvent<z.infer<typeof OrderDetails>> implements ProtoEvent<typeof OrderCreatedSchema> {
  static override readonly payloadSchema = OrderDetails;
  static readonly protoSchema = OrderCreatedSchema;
  proto(): OrderCreated {
    return fromPlainObject(OrderCreatedSchema, { eventId: this.eventId, eventTimestamp: this.eventTimestamp, eventName: this.eventName, payload: this.payload });
  }
}

/** An event with a value in every field. */
export function sampleOrder(topic: string): OrderCreatedEvent {
  const line = { sku: 'sku-1', quantity: 2, priceMicros: 2n ** 53n + 1n };
  return new OrderCreatedEvent({
    eventName: 'order_created',
    topic,
    key: 'order-1',
    payload: {
      orderId: 'order-1',
      amountMicros: 2n ** 53n + 1n,
      sequence: 2n ** 64n - 1n,
      delta: -3,
      ratio: 0.25,
      gift: true,
      signature: new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
      status: OrderStatus.PLACED,
      history: [OrderStatus.PLACED],
      tags: ['first', 'ünïcode ✓'],
      lines: [line],
      counters: { views: 2n ** 60n },
      linesBySku: { 'sku-1': line },
      email: 'buyer@example.com',
      placedAt: new Date('2026-12-01T08:08:00.835Z'),
      holdFor: 90 * 60_000,
      note: 'leave at the door',
      discountMicros: null,
      express: true,
      attributes: { channel: 'web', score: 1.5, tags: ['a', null] },
      extra: ['anything', 1, { json: true }],
      coupon: 'WELCOME',
    },
  });
}

/** Publishes the sample order and consumes it back; resolves with what was sent and what arrived. */
export async function main(options: KafkaExampleOptions = {}): Promise<{ sent: OrderCreatedEvent; received: OrderCreatedEvent[] }> {
  const settings = settingsOf({ topic: 'orders_proto', ...options });
  const sent = sampleOrder(settings.topic);
  const broker: MessageBroker =
    settings.brokers === undefined ? inMemoryBroker() : new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: settings.brokers }), valueSerializer: serializerOf(settings) });
  try {
    await broker.sendMessage(messageFromEvent(sent));
  } finally {
    await broker.close?.();
  }

  const received: OrderCreatedEvent[] = [];
  const registry = registryOf(settings);
  await serve(
    {
      groupId: 'every-field-kind',
      subscription: {
        topics: [settings.topic],
        valueDeserializer: new ProtobufValueDeserializer({ model: OrderCreatedEvent, protobufModel: OrderCreatedSchema, ...(registry === undefined ? {} : { registry }) }),
      },
      handler: async (body, msg) => {
        if (isDeserializeError(body)) throw new Error(body.errorMessage);
        if (body !== null && body.eventId === sent.eventId) received.push(body);
        await msg.ack();
      },
    },
    { ...settings, stopAfter: settings.stopAfter ?? 1 },
    () => received.length,
  );
  const [event] = received;
  if (event !== undefined) console.log(`order ${event.payload.orderId}: ${event.payload.amountMicros} micros, placed ${event.payload.placedAt?.toISOString()}, contact ${event.payload.email}`);
  return { sent, received };
}

if (require.main === module) void main();
