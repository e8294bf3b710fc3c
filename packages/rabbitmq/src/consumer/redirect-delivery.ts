import { deadLetterHeaders } from '@cqrs/core/transport';
import type { ConsumeMessage } from 'amqplib';
import { AMQPHeaders } from '../amqp-headers';
import type { AMQPMessageProperties, AMQPOutgoingMessage } from '../publisher/outgoing-message';
import type { AMQPConsumedMessage } from './amqp-consumed-message';
import { headersAsText } from './read-delivery';

type Received = Pick<AMQPConsumedMessage, 'topic' | 'exchange' | 'attempt' | 'queue'>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

/** The original's basic properties worth keeping on a copy; `persistent` always. */
function keptProperties(delivery: ConsumeMessage, headers: Record<string, string>): AMQPMessageProperties {
  const p = delivery.properties;
  const kept: Mutable<AMQPMessageProperties> = { headers, persistent: true };
  const contentType = text(p.contentType);
  const messageId = text(p.messageId);
  const type = text(p.type);
  const appId = text(p.appId);
  const correlationId = text(p.correlationId);
  if (contentType !== undefined) kept.contentType = contentType;
  if (messageId !== undefined) kept.messageId = messageId;
  if (type !== undefined) kept.type = type;
  if (appId !== undefined) kept.appId = appId;
  if (correlationId !== undefined) kept.correlationId = correlationId;
  if (typeof p.timestamp === 'number') kept.timestamp = p.timestamp;
  return kept;
}

/**
 * The copy of a failed delivery that waits in `retryQueue` (see `retryQueueFor`) for `delayMs`
 * and then returns to the queue as attempt `attempt + 1`: same bytes and properties, and
 * headers that remember the original routing key and exchange.
 */
export function retryCopy(delivery: ConsumeMessage, received: Received, delayMs: number, retryQueue: string): AMQPOutgoingMessage {
  const headers = {
    ...headersAsText(delivery.properties.headers, { dropDeath: true }),
    [AMQPHeaders.attempt]: String(received.attempt + 1),
    [AMQPHeaders.routingKey]: received.topic,
    [AMQPHeaders.exchange]: received.exchange,
  };
  return {
    exchange: '',
    routingKey: retryQueue,
    content: delivery.content,
    properties: { ...keptProperties(delivery, headers), expiration: String(Math.max(0, Math.round(delayMs))) },
  };
}

/**
 * The copy of a failed delivery for `<queue>.dlq`: the original bytes and properties, with the
 * error, the attempts and the source in `deadLetterHeaders`.
 */
export function deadLetterCopy(delivery: ConsumeMessage, received: Received, error: unknown, deadLetterExchange: string, now: Date = new Date()): AMQPOutgoingMessage {
  const original = headersAsText(delivery.properties.headers, { dropDeath: true });
  const headers = {
    ...deadLetterHeaders(original, error, received.attempt, { topic: received.topic }, now),
    [AMQPHeaders.routingKey]: received.topic,
    [AMQPHeaders.exchange]: received.exchange,
    [AMQPHeaders.sourceQueue]: received.queue,
  };
  return { exchange: deadLetterExchange, routingKey: received.queue, content: delivery.content, properties: keptProperties(delivery, headers) };
}
