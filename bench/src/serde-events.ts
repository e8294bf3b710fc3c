// The two events of the serde benchmark: the reference's UserCreated and a larger OrderPlaced
// (tens of fields, a repeated nested list), each with proto() and a zod payload schema.
import { create } from '@bufbuild/protobuf';
import { NotificationEvent, formatTimestamp } from '@cqrs/core';
import { type OrderPlaced, OrderPlacedSchema, type UserCreated, UserCreatedSchema } from '@cqrs/example-protos';
import type { ProtoEvent } from '@cqrs/protobuf';
import { z } from 'zod';

const UserCreatedPayload = z.object({ userId: z.string(), email: z.email(), name: z.string() });

/** The reference's basic event. */
export class UserCreatedEvent extends NotificationEvent<z.infer<typeof UserCreatedPayload>> implements ProtoEvent<typeof UserCreatedSchema> {
  static override readonly payloadSchema = UserCreatedPayload;
  static readonly protoSchema = UserCreatedSchema;

  proto(): UserCreated {
    return create(UserCreatedSchema, { eventId: this.eventId, eventTimestamp: formatTimestamp(this.eventTimestamp), eventName: this.eventName, payload: this.payload });
  }
}

// int64 travels as bigint in Protobuf and as a number in JSON: accept both, keep numbers.
const int64 = z.coerce.number().int();
const Address = z.object({ name: z.string(), street: z.string(), city: z.string(), region: z.string(), zipCode: z.string(), country: z.string() });
const LineItem = z.object({
  sku: z.string(),
  title: z.string(),
  quantity: z.number().int(),
  unitPriceCents: int64,
  discountCents: int64,
  weightKg: z.number(),
  gift: z.boolean(),
  tags: z.array(z.string()),
});
const OrderPlacedPayload = z.object({
  orderId: z.string(),
  customerId: z.string(),
  customerEmail: z.string(),
  customerName: z.string(),
  currency: z.string(),
  subtotalCents: int64,
  taxCents: int64,
  shippingCents: int64,
  totalCents: int64,
  status: z.number().int(),
  channel: z.string(),
  couponCode: z.string(),
  locale: z.string(),
  ipAddress: z.string(),
  userAgent: z.string(),
  firstOrder: z.boolean(),
  loyaltyPoints: z.number().int(),
  exchangeRate: z.number(),
  placedAt: z.string(),
  notes: z.string(),
  shippingAddress: Address,
  billingAddress: Address,
  items: z.array(LineItem),
  attributes: z.record(z.string(), z.string()),
});
type OrderPlacedPayload = z.infer<typeof OrderPlacedPayload>;

/** The larger event: 24 payload fields, two addresses and a list of line items. */
export class OrderPlacedEvent extends NotificationEvent<OrderPlacedPayload> implements ProtoEvent<typeof OrderPlacedSchema> {
  static override readonly payloadSchema = OrderPlacedPayload;
  static readonly protoSchema = OrderPlacedSchema;

  proto(): OrderPlaced {
    const p = this.payload;
    return create(OrderPlacedSchema, {
      eventId: this.eventId,
      eventTimestamp: formatTimestamp(this.eventTimestamp),
      eventName: this.eventName,
      payload: {
        ...p,
        subtotalCents: BigInt(p.subtotalCents),
        taxCents: BigInt(p.taxCents),
        shippingCents: BigInt(p.shippingCents),
        totalCents: BigInt(p.totalCents),
        items: p.items.map((item) => ({ ...item, unitPriceCents: BigInt(item.unitPriceCents), discountCents: BigInt(item.discountCents) })),
      },
    });
  }
}

/** A user-created event with typical values. */
export function sampleUserCreated(topic: string): UserCreatedEvent {
  return new UserCreatedEvent({ eventName: 'user_created', topic, payload: { userId: '123', email: 'user@example.com', name: 'John Doe' } });
}

/** An order with `items` line items. */
export function sampleOrderPlaced(topic: string, items = 10): OrderPlacedEvent {
  const address = { name: 'Jane Roe', street: '221B Baker Street', city: 'London', region: 'Greater London', zipCode: 'NW1 6XE', country: 'GB' };
  return new OrderPlacedEvent({
    eventName: 'order_placed',
    topic,
    payload: {
      orderId: 'ord-2024-000123',
      customerId: 'cus-98765',
      customerEmail: 'jane.roe@example.com',
      customerName: 'Jane Roe',
      currency: 'EUR',
      subtotalCents: 129_900,
      taxCents: 24_681,
      shippingCents: 499,
      totalCents: 155_080,
      status: 2,
      channel: 'web',
      couponCode: 'SPRING24',
      locale: 'en-GB',
      ipAddress: '203.0.113.42',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
      firstOrder: false,
      loyaltyPoints: 1_299,
      exchangeRate: 1.0842,
      placedAt: '2024-05-01T12:34:56.789Z',
      notes: 'Leave at the door',
      shippingAddress: address,
      billingAddress: { ...address, street: '1 Billing Way' },
      items: Array.from({ length: items }, (_, i) => ({
        sku: `SKU-${1000 + i}`,
        title: `Item number ${i} with a reasonably long title`,
        quantity: 1 + (i % 3),
        unitPriceCents: 12_990 + i,
        discountCents: i % 2 === 0 ? 0 : 500,
        weightKg: 0.25 * (i + 1),
        gift: i % 5 === 0,
        tags: ['new', `cat-${i % 4}`],
      })),
      attributes: { source: 'campaign-42', ab: 'variant-b' },
    },
  });
}
