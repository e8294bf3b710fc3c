import type { ReceivedMessage } from '@cqrs/core/transport';
import type { ConsumeMessage } from 'amqplib';
import { AMQPHeaders } from '../amqp-headers';
import type { AMQPConsumedMessage } from './amqp-consumed-message';

/** Headers RabbitMQ writes when it dead-letters; republished copies leave them out. */
const DEATH_HEADERS = new Set(['x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason', 'x-last-death-exchange', 'x-last-death-queue', 'x-last-death-reason']);
/** The publisher's own bookkeeping (which publish a return belongs to): no handler's business, and no copy's. */
const PUBLISHER_HEADERS = new Set<string>([AMQPHeaders.publishSeq]);

function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, (_, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** AMQP header values (strings, numbers, tables, byte arrays) as strings, like every transport's headers. */
export function headersAsText(headers: Readonly<Record<string, unknown>> | undefined, options: { readonly dropDeath?: boolean } = {}): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (PUBLISHER_HEADERS.has(name) || (options.dropDeath === true && DEATH_HEADERS.has(name))) continue;
    const converted = headerText(value);
    if (converted !== undefined) text[name] = converted;
  }
  return text;
}

function attemptOf(headers: Readonly<Record<string, string>>): number {
  const attempt = Number.parseInt(headers[AMQPHeaders.attempt] ?? '', 10);
  return Number.isInteger(attempt) && attempt >= 1 ? attempt : 1;
}

/** What the handler sees of a delivery, before `processDelivery` adds `ack` and `nack`. */
export function readDelivery(delivery: ConsumeMessage, queue: string): ReceivedMessage<AMQPConsumedMessage> {
  const headers = headersAsText(delivery.properties.headers);
  const messageId = delivery.properties.messageId as string | undefined;
  const contentType = delivery.properties.contentType as string | undefined;
  return {
    topic: headers[AMQPHeaders.routingKey] ?? delivery.fields.routingKey,
    key: headers[AMQPHeaders.key],
    headers,
    value: delivery.content.byteLength === 0 ? null : delivery.content,
    attempt: attemptOf(headers),
    queue,
    exchange: headers[AMQPHeaders.exchange] ?? delivery.fields.exchange,
    deliveryTag: delivery.fields.deliveryTag,
    redelivered: delivery.fields.redelivered,
    messageId: messageId === undefined || messageId === null ? undefined : String(messageId),
    contentType: contentType === undefined || contentType === null ? undefined : String(contentType),
  };
}
