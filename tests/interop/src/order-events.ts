// The interop events: one of every field kind, at message indexes [0], [1] and [1, 0], with
// payloads validated by zod in the default Protobuf mapping (Date, bigint, null, JSON, ...).
import { toJson, type DescMessage, type JsonObject, type Message } from '@bufbuild/protobuf';
import { NotificationEvent, type NotificationEventInit, type ParseOptions } from '@cqrs/core';
import { OrderCreatedSchema, OrderDetailsSchema, OrderShippedSchema, OrderShipped_ReturnedSchema, OrderStatus } from '@cqrs/example-protos';
import { fromPlainObject, type ProtoEvent } from '@cqrs/protobuf';
import { z } from 'zod';


const Line = z.object({ sku: z.string(), quantity: z.number().int(), priceMicros: z.bigint() });

/** `OrderDetails` as the default mapping hands it over. */
export const OrderDetailsPayload = z.object({
  orderId: z.string(),
  amountMicros: z.bigint(),
  sequence: z.bigint(),
  delta: z.number().int(),
  ratio: z.number(),
  gift: z.boolean(),
  signature: z.instanceof(Uint8Array),
  status: z.enum(OrderStatus),
  history: z.array(z.enum(OrderStatus)),
  tags: z.array(z.string()),
  lines: z.array(Line),
  counters: z.record(z.string(), z.bigint()),
  linesBySku: z.record(z.string(), Line),
  email: z.string().optional(),
  phone: z.string().optional(),
  giftLine: Line.optional(),
  placedAt: z.date().optional(),
  holdFor: z.number().optional(),
  note: z.string().nullable(),
  discountMicros: z.bigint().nullable(),
  express: z.boolean().nullable(),
  attributes: z.record(z.string(), z.json()).optional(),
  extra: z.json().optional(),
  coupon: z.string().optional(),
});

/** The payload type. */
export type OrderDetailsPayload = z.infer<typeof OrderDetailsPayload>;

/**
 * The order events' common shape: the payload schema, and `proto()` building the class's
 * `protoSchema` message from the event's fields with `fromPlainObject`.
 */
export abstract class OrderEvent extends NotificationEvent<OrderDetailsPayload> implements ProtoEvent {
  static override readonly payloadSchema = OrderDetailsPayload;
  proto(): Message {
    const schema = (this.constructor as unknown as { protoSchema: DescMessage }).protoSchema;
    return fromPlainObject(schema, { eventId: this.eventId, eventTimestamp: this.eventTimestamp, eventName: this.eventName, payload: this.payload });
  }
}

/** `cqrs.interop.v1.OrderCreated`, message index [0]. */
export class OrderCreatedEvent extends OrderEvent {
  static readonly protoSchema = OrderCreatedSchema;
}

/** `cqrs.interop.v1.OrderShipped`, message index [1]. */
export class OrderShippedEvent extends OrderEvent {
  static readonly protoSchema = OrderShippedSchema;
}

/** `cqrs.interop.v1.OrderShipped.Returned`, the nested message index [1, 0]. */
export class OrderReturnedEvent extends OrderEvent {
  static readonly protoSchema = OrderShipped_ReturnedSchema;
}

/** An order event class, as the tests use any of the three. */
export interface OrderEventClass {
  new (init: NotificationEventInit<OrderDetailsPayload>): OrderEvent;
  readonly protoSchema: DescMessage;
  readonly name: string;
  parse(data: unknown, options?: ParseOptions): unknown;
}

/** The three order event classes with their Python type name and message indexes. */
export const orderEventKinds: readonly { readonly model: OrderEventClass; readonly pythonType: string; readonly indexes: readonly number[] }[] = [
  { model: OrderCreatedEvent, pythonType: 'OrderCreated', indexes: [0] },
  { model: OrderShippedEvent, pythonType: 'OrderShipped', indexes: [1] },
  { model: OrderReturnedEvent, pythonType: 'OrderShipped.Returned', indexes: [1, 0] },
];

const BEYOND_2_53 = 2n ** 53n + 1n;

/** The `i`th sample payload: every kind set, values varied so none is a default by accident. */
export function orderDetails(i: number): OrderDetailsPayload {
  const line = (n: number) => ({ sku: `sku-${i}-${n}`, quantity: n + 1, priceMicros: BEYOND_2_53 * BigInt(n + 1) * (n % 2 === 0 ? 1n : -1n) });
  const contact = [{ email: `buyer${i}@example.com` }, { phone: `+49-30-${1000 + i}` }, { giftLine: line(9) }, {}][i % 4];
  return {
    orderId: `order-${i}`,
    amountMicros: BEYOND_2_53 + BigInt(i),
    sequence: 2n ** 64n - 1n - BigInt(i),
    delta: i % 2 === 0 ? -i - 1 : i + 1,
    ratio: 0.125 + i / 8,
    gift: i % 2 === 1,
    signature: Uint8Array.from({ length: 16 }, (_, k) => (k * 37 + i * 11) % 256),
    status: [OrderStatus.PLACED, OrderStatus.SHIPPED, OrderStatus.RETURNED][i % 3]!,
    history: [OrderStatus.PLACED, OrderStatus.SHIPPED].slice(0, (i % 3) + 0),
    tags: [`t${i}`, 'ünïcode ✓', ''].slice(0, (i % 3) + 1),
    lines: [line(0), line(1)].slice(0, (i % 2) + 1),
    counters: { views: BEYOND_2_53 * 2n + BigInt(i), clicks: -BigInt(i) - 1n },
    linesBySku: { [`sku-${i}-5`]: line(5) },
    ...contact,
    placedAt: new Date(Date.UTC(2026, 11, 1, 8, 8, 0, 835) + i * 1_001),
    holdFor: 90_061_500.25 + i,
    note: i % 3 === 0 ? null : `note ${i}`,
    discountMicros: i % 2 === 0 ? null : -BEYOND_2_53,
    express: [null, true, false][i % 3]!,
    attributes: { channel: 'web', score: 1.5 + i, nested: { list: [1, 'x', null, true] } },
    extra: [['any', i, { json: null }], `text ${i}`, i + 0.5, null][i % 4]!,
    ...(i % 2 === 0 ? { coupon: `C${i}` } : {}),
  };
}

/** The `i`th sample event of `model`: a fixed id and a millisecond timestamp, so it compares exactly. */
export function orderEvent<E extends OrderEvent>(model: new (init: NotificationEventInit<OrderDetailsPayload>) => E, topic: string, i: number): E {
  return new model({ eventName: 'order_event', topic, eventTimestamp: new Date(Date.UTC(2026, 11, 1, 8, 8, 0) + i * 7_919), payload: orderDetails(i) });
}

/** proto3 JSON with the .proto field names: how both languages print a message to compare it. */
export function protoJson(event: ProtoEvent): JsonObject {
  const schema = (event.constructor as unknown as { protoSchema: DescMessage }).protoSchema;
  return toJson(schema, event.proto(), { useProtoFieldName: true }) as JsonObject;
}

/** The payload alone as proto3 JSON: what python-cqrs's events carry as `payload`. */
export function payloadJson(payload: OrderDetailsPayload): JsonObject {
  return toJson(OrderDetailsSchema, fromPlainObject(OrderDetailsSchema, payload), { useProtoFieldName: true }) as JsonObject;
}
