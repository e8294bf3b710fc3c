import { create, toBinary, fromBinary, toJson } from '@bufbuild/protobuf';
import { OrderCreatedSchema, OrderDetailsSchema, OrderStatus } from '@cqrs/example-protos';
import { NotificationEvent } from '@cqrs/core';
import { ProtobufMappingError, ProtobufValueDeserializer, fromPlainObject, toPlainObject, type DeserializeProtobufError } from '../src';


const BIG = 2n ** 53n + 1n;

/** One value of every field kind, as plain data in the default mapping. */
const plain = {
  orderId: 'o-1',
  amountMicros: BIG,
  sequence: 2n ** 64n - 1n,
  delta: -7,
  ratio: 0.25,
  gift: true,
  signature: new Uint8Array([0, 1, 254, 255]),
  status: OrderStatus.SHIPPED,
  history: [OrderStatus.PLACED, OrderStatus.SHIPPED],
  tags: ['a', 'b'],
  lines: [{ sku: 's-1', quantity: 2, priceMicros: -BIG }],
  counters: { views: BIG, zero: 0n },
  linesBySku: { 's-2': { sku: 's-2', quantity: 1, priceMicros: 5n } },
  giftLine: { sku: 'g', quantity: 1, priceMicros: 0n },
  placedAt: new Date('2026-12-01T08:08:00.835Z'),
  holdFor: 90_061_500.25,
  note: 'leave at the door',
  discountMicros: BIG,
  express: null,
  attributes: { channel: 'web', score: 1.5, nested: { list: [1, 'x', null, true] } },
  extra: ['any', 1, { json: null }],
  coupon: 'WELCOME',
};

describe('well-known types and field kinds, both ways', () => {
  test('fromPlainObject then toPlainObject gives the plain data back, through the wire bytes too', () => {
    const message = fromPlainObject(OrderDetailsSchema, plain);
    expect(message.placedAt).toEqual({ $typeName: 'google.protobuf.Timestamp', seconds: BigInt(Date.UTC(2026, 11, 1, 8, 8, 0) / 1000), nanos: 835_000_000 });
    expect(message.holdFor).toEqual({ $typeName: 'google.protobuf.Duration', seconds: 90_061n, nanos: 500_250_000 });
    expect(message.contact).toEqual({ case: 'giftLine', value: expect.objectContaining({ sku: 'g' }) as unknown });
    const back = toPlainObject(OrderDetailsSchema, fromBinary(OrderDetailsSchema, toBinary(OrderDetailsSchema, message)));
    expect(back).toEqual(plain);
    expect(back.express).toBeNull();
    expect(back.email).toBeUndefined();
    expect(back.placedAt).toBeInstanceOf(Date);
  });

  test('proto3 JSON of the message has every value, as another language reads it', () => {
    const json = toJson(OrderDetailsSchema, fromPlainObject(OrderDetailsSchema, plain), { useProtoFieldName: true }) as Record<string, unknown>;
    expect(json).toMatchObject({
      amount_micros: '9007199254740993',
      sequence: '18446744073709551615',
      signature: 'AAH+/w==',
      status: 'ORDER_STATUS_SHIPPED',
      placed_at: '2026-12-01T08:08:00.835Z',
      hold_for: '90061.500250s',
      note: 'leave at the door',
      discount_micros: '9007199254740993',
      attributes: plain.attributes,
      extra: plain.extra,
      gift_line: { sku: 'g', quantity: 1 },
    });
    expect('express' in json).toBe(false);
  });

  test("enums: 'name', int64: 'string', timestamps: 'string', oneofs: 'case'", () => {
    const message = fromPlainObject(OrderDetailsSchema, { ...plain, giftLine: undefined, email: 'a@b.c', placedAt: '2026-12-01T08:08:00.835014Z' });
    const named = toPlainObject(OrderDetailsSchema, message, { enums: 'name', int64: 'string', timestamps: 'string', oneofs: 'case' });
    expect(named).toMatchObject({
      status: 'ORDER_STATUS_SHIPPED',
      history: ['ORDER_STATUS_PLACED', 'ORDER_STATUS_SHIPPED'],
      amountMicros: '9007199254740993',
      counters: { views: '9007199254740993', zero: '0' },
      lines: [{ priceMicros: '-9007199254740993' }],
      discountMicros: '9007199254740993',
      placedAt: '2026-12-01T08:08:00.835014Z',
      contact: { case: 'email', value: 'a@b.c' },
    });
    expect('email' in named).toBe(false);
    // What toPlainObject wrote with options, fromPlainObject reads back to the same message.
    expect(fromPlainObject(OrderDetailsSchema, named)).toEqual(message);
  });

  test("int64: 'number' converts safe integers and throws, naming the field, beyond 2^53", () => {
    const safe = fromPlainObject(OrderDetailsSchema, { orderId: 'o', amountMicros: 2n ** 53n - 1n, discountMicros: 5 });
    expect(toPlainObject(OrderDetailsSchema, safe, { int64: 'number' })).toMatchObject({ amountMicros: Number.MAX_SAFE_INTEGER, discountMicros: 5, sequence: 0 });
    const unsafe = fromPlainObject(OrderDetailsSchema, { orderId: 'o', amountMicros: BIG });
    expect(() => toPlainObject(OrderDetailsSchema, unsafe, { int64: 'number' })).toThrow(ProtobufMappingError);
    expect(() => toPlainObject(OrderDetailsSchema, unsafe, { int64: 'number' })).toThrow('cqrs.interop.v1.OrderDetails.amount_micros: 9007199254740993 does not fit a JavaScript number exactly');
  });

  test('fromPlainObject refuses what it cannot map, naming the field', () => {
    expect(() => fromPlainObject(OrderDetailsSchema, { amountMicros: 1.5 })).toThrow(/OrderDetails\.amount_micros: 1\.5 is not an integer/);
    expect(() => fromPlainObject(OrderDetailsSchema, { amountMicros: 'lots' })).toThrow(/amount_micros: "lots" is not a decimal integer/);
    expect(() => fromPlainObject(OrderDetailsSchema, { status: 'ORDER_STATUS_LOST' })).toThrow(/OrderDetails\.status: "ORDER_STATUS_LOST" is not a value of cqrs\.interop\.v1\.OrderStatus/);
    expect(() => fromPlainObject(OrderDetailsSchema, { email: 'a@b.c', phone: '1' })).toThrow(/oneof contact has email set already/);
    expect(() => fromPlainObject(OrderDetailsSchema, { tags: 'a' })).toThrow(/tags: expected an array/);
  });

  test('.proto names are read too, and unknown keys ignored', () => {
    const message = fromPlainObject(OrderCreatedSchema, { event_id: 'e', event_timestamp: new Date(0), event_name: 'n', payload: { order_id: 'o', amount_micros: '1' }, topic: 'ignored' });
    expect(message).toEqual(create(OrderCreatedSchema, { eventId: 'e', eventTimestamp: { seconds: 0n, nanos: 0 }, eventName: 'n', payload: { orderId: 'o', amountMicros: 1n } }));
  });

  test('an unknown enum number stays a number under enums: name', () => {
    const message = create(OrderDetailsSchema, { status: 42 as never });
    expect(toPlainObject(OrderDetailsSchema, message, { enums: 'name' }).status).toBe(42);
  });
});

describe("ProtobufValueDeserializer's mapping option", () => {
  class Order extends NotificationEvent<Record<string, unknown>> {
    proto(): ReturnType<typeof fromPlainObject<typeof OrderCreatedSchema>> {
      return fromPlainObject(OrderCreatedSchema, { eventId: this.eventId, eventTimestamp: this.eventTimestamp, eventName: this.eventName, payload: this.payload });
    }
  }
  const bytes = toBinary(OrderCreatedSchema, fromPlainObject(OrderCreatedSchema, { eventId: '9b2f3c4e-0d6a-4b7e-9c1d-2e3f4a5b6c7d', eventTimestamp: new Date(0), eventName: 'n', payload: plain }));

  test('reaches the default mapping: names and strings instead of numbers and bigints', () => {
    const reader = new ProtobufValueDeserializer({ model: Order, protobufModel: OrderCreatedSchema, registry: false, mapping: { enums: 'name', int64: 'string' } });
    const event = reader.deserialize(bytes, { topic: 't' }) as Order;
    expect(event).toBeInstanceOf(Order);
    expect(event.eventTimestamp).toEqual(new Date(0));
    expect(event.payload).toMatchObject({ status: 'ORDER_STATUS_SHIPPED', amountMicros: '9007199254740993', placedAt: plain.placedAt });
  });

  test("a value the option cannot hold is a DeserializeProtobufError with the bytes, not an exception", () => {
    const reader = new ProtobufValueDeserializer({ model: Order, protobufModel: OrderCreatedSchema, registry: false, mapping: { int64: 'number' } });
    const error = reader.deserialize(bytes, { topic: 't' }) as DeserializeProtobufError;
    expect(error.errorType).toBe('ProtobufMappingError');
    expect(error.errorMessage).toMatch(/OrderDetails\.amount_micros: 9007199254740993 does not fit/);
    expect(error.messageData).toBe(bytes);
  });
});
