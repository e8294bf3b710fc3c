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
  return {
    messageName: event.eventName,
    messageId: event.eventId,
    topic: event.topic,
    payload: event,
    ...(event.key === undefined ? {} : { key: event.key }),
    ...(headers === undefined ? {} : { headers }),
  };
}
