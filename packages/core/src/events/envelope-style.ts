import { formatTimestamp } from './format-timestamp';
import type { NotificationEvent, NotificationEventJson } from './notification-event';

/**
 * The key style of a JSON envelope on the wire. `'snake_case'` is the reference page's pydantic
 * form (`event_id`, `event_timestamp`, `event_name`, `event_type`, `topic`, `payload`), read by
 * python-cqrs 5.x's pydantic and dataclass events alike; `'camelCase'` is what python-cqrs 5.x's
 * dataclass `NotificationEvent.to_dict()` writes (`eventName`, `payload`, `eventId`,
 * `eventTimestamp`, `topic`, no `event_type`).
 */
export type EnvelopeStyle = 'snake_case' | 'camelCase';

/** The envelope python-cqrs 5.x's dataclass events write, keys in their order. */
export interface NotificationEventCamelJson<P = unknown> {
  readonly eventName: string;
  readonly payload: P;
  readonly eventId: string;
  readonly eventTimestamp: string;
  readonly topic: string;
}

/**
 * An event as a JSON envelope of `style`. Both write the id hyphenated and the timestamp as
 * `toISOString()` does (UTC, milliseconds, `Z`); the payload is the event's as it is.
 *
 * ```ts
 * JSON.stringify(toEnvelope(event, 'camelCase')); // {"eventName":"user_created","payload":{...},"eventId":"…","eventTimestamp":"…Z","topic":"user_events"}
 * ```
 */
export function toEnvelope<P>(event: NotificationEvent<P>, style: EnvelopeStyle): NotificationEventJson<P> | NotificationEventCamelJson<P> {
  if (style === 'snake_case') return event.toJSON();
  return { eventName: event.eventName, payload: event.payload, eventId: event.eventId, eventTimestamp: formatTimestamp(event.eventTimestamp), topic: event.topic };
}
