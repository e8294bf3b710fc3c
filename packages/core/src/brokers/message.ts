import type { NotificationEvent } from '../events/notification-event';

/** Headers travel as strings on every transport. */
export type MessageHeaders = Readonly<Record<string, string>>;

/**
 * What a message broker publishes [broker_protocol.Message]. `payload` is usually the
 * notification event itself; the broker's value serializer turns it into bytes.
 */
export interface Message<P = unknown> {
  readonly messageName: string;
  readonly messageId: string;
  readonly topic: string;
  readonly payload: P;
  /** Extra headers; the broker adds the message name and id itself. */
  readonly headers?: MessageHeaders;
  /** Partition or routing key; the same key keeps its order. */
  readonly key?: string;
}

/** Wraps a notification event in the `Message` a broker publishes. */
export function messageFromEvent<E extends NotificationEvent<unknown>>(event: E, headers?: MessageHeaders): Message<E> {
  // Built field by field rather than with spreads: this runs once per published event.
  const message: { -readonly [K in keyof Message<E>]: Message<E>[K] } = { messageName: event.eventName, messageId: event.eventId, topic: event.topic, payload: event };
  if (event.key !== undefined) message.key = event.key;
  if (headers !== undefined) message.headers = headers;
  return message;
}
