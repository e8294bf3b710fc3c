export type { AnyEvent, EventClass } from './any-event';
export { deepFreeze } from './deep-freeze';
export { DomainEvent, isDomainEvent } from './domain-event';
export { ECSTEvent } from './ecst-event';
export { EventRaiser } from './event-raiser';
export type { EventHandler } from './event-handler';
export { EventMap } from './event-map';
export { normalizeUuid } from './envelope';
export { toEnvelope, type EnvelopeStyle, type NotificationEventCamelJson } from './envelope-style';
export {
  NotificationEvent,
  isNotificationEvent,
  type NotificationEventClass,
  type NotificationEventInit,
  type NotificationEventJson,
  type ParseOptions,
  type PayloadOf,
} from './notification-event';
export { formatTimestamp } from './format-timestamp';
export { parseTimestamp, type NaiveTimeZone, type SubMillisecondPolicy, type TimestampOptions } from './parse-timestamp';
export type { PayloadSchema } from './payload-schema';
