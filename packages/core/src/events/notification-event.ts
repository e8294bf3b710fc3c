import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../errors/errors';
import { deepFreeze } from './deep-freeze';
import { invalidEnvelope, isValidEnvelope, normalizeUuid } from './envelope';
import { formatTimestamp } from './format-timestamp';
import { parseTimestamp, type TimestampOptions } from './parse-timestamp';
import type { PayloadSchema } from './payload-schema';

const NOTIFICATION_EVENT = Symbol.for('@cqrs/core/NotificationEvent');

/** What a notification event is built from; `eventId` and `eventTimestamp` default to new values. */
export interface NotificationEventInit<P> {
  readonly eventName: string;
  readonly topic: string;
  readonly payload: P;
  /** UUID; a new v4 UUID when omitted. */
  readonly eventId?: string;
  /** When the event happened; now when omitted. The event keeps its own copy. */
  readonly eventTimestamp?: Date;
  /** Partition key on the broker (an aggregate id), so one key keeps its order. */
  readonly key?: string;
}

/**
 * The JSON form `toJSON()` writes: the snake_case envelope of the reference page's pydantic
 * events, which python-cqrs 5.x's dataclass events read too (their `from_dict` matches keys in
 * any case and ignores `event_type`). `toEnvelope(event, 'camelCase')` writes python-cqrs 5.x's
 * own form.
 */
export interface NotificationEventJson<P = unknown> {
  readonly event_id: string;
  readonly event_timestamp: string;
  readonly event_name: string;
  readonly event_type: string;
  readonly topic: string;
  readonly payload: P;
}

/** The class side of an event type: how `parse` builds and validates instances. */
export interface NotificationEventClass<E extends NotificationEvent<unknown>> {
  new (init: NotificationEventInit<PayloadOf<E>>): E;
  readonly payloadSchema?: PayloadSchema<unknown> | undefined;
  readonly name: string;
}

/** The payload type of an event type. */
export type PayloadOf<E> = E extends NotificationEvent<infer P> ? P : never;

/**
 * Options of `parse`. Timestamp strings are read by `parseTimestamp`: naive ones
 * (python-cqrs 5.x writes `datetime.now()` without an offset) in UTC unless `naiveTimeZone`
 * says otherwise; digits below the millisecond are truncated unless `subMillisecond: 'reject'`.
 */
export interface ParseOptions extends TimestampOptions {
  /** Overrides the topic found in the data: the topic the message really came from. */
  readonly topic?: string;
}

/**
 * The `Date` `parse` just made for the event it is building, which the constructor may keep
 * instead of copying: nobody else holds it. Only that very object is kept, so an event built in
 * between (a subclass constructor's own) just copies its timestamp as usual.
 */
let parsedTimestamp: Date | undefined;

/**
 * An event for other services, published to the message broker [NotificationEvent].
 * Immutable once built: the instance is frozen and the payload deep-frozen in place; the
 * timestamp is the event's own copy (don't call its setters). Declare `static payloadSchema` (a zod schema) to validate payloads
 * built from untrusted data with `parse`. Subclasses add methods (such as `proto()`), not fields.
 *
 * ```ts
 * const UserCreatedPayload = z.object({ userId: z.string(), email: z.email(), name: z.string() });
 * class UserCreatedEvent extends NotificationEvent<z.infer<typeof UserCreatedPayload>> {
 *   static override readonly payloadSchema = UserCreatedPayload;
 * }
 * ```
 */
export class NotificationEvent<P = unknown> {
  static {
    Object.defineProperty(this.prototype, NOTIFICATION_EVENT, { value: true });
  }

  /** Validates payloads in `parse`; none means the payload is taken as it is. */
  static readonly payloadSchema?: PayloadSchema<unknown> | undefined;

  /** Discriminates event kinds on the wire. */
  get eventType(): string {
    return 'notification_event';
  }

  readonly eventId: string;
  readonly eventTimestamp: Date;
  readonly eventName: string;
  readonly topic: string;
  readonly payload: P;
  readonly key: string | undefined;

  constructor(init: NotificationEventInit<P>) {
    this.eventId = init.eventId ?? randomUUID();
    // A copy, so the caller's Date changing later does not change the event. Freezing cannot
    // stop Date#setTime; a Date subclass whose setters throw made construction ~6× slower.
    const at = init.eventTimestamp;
    // The Date `parse` made for this event is its own already: no second copy per consumed event.
    this.eventTimestamp = at === undefined ? new Date() : at === parsedTimestamp ? at : new Date(at.getTime());
    parsedTimestamp = undefined;
    this.eventName = init.eventName;
    this.topic = init.topic;
    this.payload = deepFreeze(init.payload);
    this.key = init.key;
    Object.freeze(this);
  }

  /**
   * Builds an event of this class from untrusted data (decoded JSON, a Protobuf message as a
   * plain object). Reads both envelopes python-cqrs writes: camelCase (`eventId`, 5.x
   * dataclasses) or snake_case (`event_id`, pydantic); `event_type` may be absent. `eventId` is
   * a hyphenated UUID or 32 hex digits (made hyphenated); `eventTimestamp` a `Date`, epoch
   * milliseconds, or an ISO 8601 string, zoned or naive, up to nanoseconds (see `ParseOptions`).
   * Throws `ValidationError`.
   */
  static parse<E extends NotificationEvent<unknown>>(this: NotificationEventClass<E>, data: unknown, options: ParseOptions = {}): E {
    if (typeof data !== 'object' || data === null) {
      throw new ValidationError(`${this.name}: expected an object, got ${data === null ? 'null' : typeof data}`);
    }
    const record = data as Record<string, unknown>;
    // Checked field by field, without a zod object or an intermediate object per event.
    const rawId = record.eventId ?? record.event_id;
    const eventId = normalizeUuid(rawId);
    const timestamp = record.eventTimestamp ?? record.event_timestamp;
    const eventName = record.eventName ?? record.event_name;
    const topic = options.topic ?? record.topic;
    if (!isValidEnvelope(eventId, timestamp, eventName, topic)) invalidEnvelope(this.name, { eventId: rawId, eventTimestamp: timestamp, eventName, topic, payload: record.payload });
    // A Date is passed on as it is: the constructor copies it anyway.
    const eventTimestamp = timestamp instanceof Date ? timestamp : new Date(typeof timestamp === 'string' ? parseTimestamp(timestamp, options) : (timestamp as number));
    if (Number.isNaN(eventTimestamp.getTime())) {
      throw new ValidationError(`${this.name}: invalid eventTimestamp ${String(timestamp)}`);
    }
    let payload: unknown = record.payload;
    const payloadSchema = this.payloadSchema;
    if (payloadSchema !== undefined) {
      try {
        payload = payloadSchema.parse(payload);
      } catch (error) {
        const detail = error instanceof z.ZodError ? z.prettifyError(error) : String(error);
        throw new ValidationError(`${this.name}: invalid payload: ${detail}`, { cause: error });
      }
    }
    if (eventTimestamp !== timestamp) parsedTimestamp = eventTimestamp;
    return new this({ eventId, eventTimestamp, eventName: eventName as string, topic: topic as string, payload: payload as PayloadOf<E> });
  }

  /** The wire form: snake_case envelope, ISO-8601 UTC timestamp. */
  toJSON(): NotificationEventJson<P> {
    return {
      event_id: this.eventId,
      event_timestamp: formatTimestamp(this.eventTimestamp),
      event_name: this.eventName,
      event_type: this.eventType,
      topic: this.topic,
      payload: this.payload,
    };
  }
}

/** True for a `NotificationEvent` (or `ECSTEvent`), also one from another copy of the package. */
export function isNotificationEvent(value: unknown): value is NotificationEvent<unknown> {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[NOTIFICATION_EVENT] === true;
}
