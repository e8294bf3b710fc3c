import type { Message } from '../brokers/message';
import { isNotificationEvent } from '../events/notification-event';
import type { EncodedValue, ValueSerializer } from './value-serializer';

const encoder = new TextEncoder();
const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json' });

/** Serializes events (their `toJSON()` form) or plain payloads as UTF-8 JSON. */
export class JsonValueSerializer implements ValueSerializer {
  readonly contentType = 'application/json';

  serialize(message: Message): EncodedValue {
    const payload = message.payload;
    const body = isNotificationEvent(payload) ? payload.toJSON() : payload;
    return { value: encoder.encode(JSON.stringify(body)), headers: JSON_HEADERS };
  }
}

/** The default serializer of every broker. */
export const jsonValueSerializer: ValueSerializer = new JsonValueSerializer();
