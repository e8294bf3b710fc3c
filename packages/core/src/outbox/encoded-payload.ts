import type { Message } from '../brokers/message';
import { jsonValueSerializer } from '../serde/json-value-serializer';
import type { EncodedValue, ValueSerializer } from '../serde/value-serializer';

const ENCODED_PAYLOAD = Symbol.for('@cqrs/core/EncodedPayload');

/**
 * A payload that was serialized already, such as a row an outbox relay read back: its bytes
 * are what goes on the wire. Brokers publish it unchanged with `encodedValueSerializer`.
 */
export class EncodedPayload {
  constructor(
    /** The serialized bytes, exactly as stored. */
    readonly value: Uint8Array,
    /** The format's headers (content type), stored with the bytes. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

// The brand lives on the prototype: defining it on each instance costs the relay more than the rest of building a message.
Object.defineProperty(EncodedPayload.prototype, ENCODED_PAYLOAD, { value: true });

/** True for an `EncodedPayload`, also one built by another copy of the package (ESM beside CJS). */
export function isEncodedPayload(value: unknown): value is EncodedPayload {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ENCODED_PAYLOAD] === true;
}

/**
 * A serializer that passes `EncodedPayload` bytes through unchanged and serializes anything
 * else with `fallback` (JSON by default). Give it to the broker an outbox relay publishes with.
 */
export function encodedValueSerializer(fallback: ValueSerializer = jsonValueSerializer): ValueSerializer {
  return {
    contentType: fallback.contentType,
    serialize(message: Message): EncodedValue | Promise<EncodedValue> {
      const payload = message.payload;
      if (isEncodedPayload(payload)) return { value: payload.value, headers: payload.headers };
      return fallback.serialize(message);
    },
  };
}
