import type { Message } from '../brokers/message';
import { toEnvelope, type EnvelopeStyle } from '../events/envelope-style';
import { isNotificationEvent } from '../events/notification-event';
import type { EncodedValue, ValueSerializer } from './value-serializer';

const encoder = new TextEncoder();
const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json' });

/** Options of `JsonValueSerializer`. */
export interface JsonValueSerializerOptions {
  /**
   * The envelope's key style; `'snake_case'` by default, the form both python-cqrs 5.x's
   * dataclass events and the reference page's pydantic events read. `'camelCase'` writes
   * python-cqrs 5.x's own form, for consumers that compare bytes or read it by hand.
   */
  readonly envelope?: EnvelopeStyle;
}

/**
 * Serializes events (their envelope, see `toEnvelope`) or plain payloads as UTF-8 JSON
 * [JsonEventSerializer]. Every value carries the header `content-type: application/json`
 * (python-cqrs sends JSON with no headers, and ignores them); the message key is the event's
 * `key`, none when it has none (python-cqrs sends none).
 */
export class JsonValueSerializer implements ValueSerializer {
  readonly contentType = 'application/json';
  readonly #style: EnvelopeStyle;

  constructor(options: JsonValueSerializerOptions = {}) {
    this.#style = options.envelope ?? 'snake_case';
  }

  serialize(message: Message): EncodedValue {
    const payload = message.payload;
    const body = isNotificationEvent(payload) ? toEnvelope(payload, this.#style) : payload;
    return { value: encoder.encode(JSON.stringify(body)), headers: JSON_HEADERS };
  }
}

/** The default serializer of every broker: snake_case envelopes. */
export const jsonValueSerializer: ValueSerializer = new JsonValueSerializer();
