import type { NotificationEvent, NotificationEventClass } from '../events/notification-event';
import { DeserializeJsonError } from './deserialize-error';
import type { Decoded, DeserializeContext, ValueDeserializer } from './value-deserializer';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Options of `JsonValueDeserializer`. */
export interface JsonValueDeserializerOptions<E extends NotificationEvent<unknown>> {
  /** The event class to build and validate. */
  readonly model: NotificationEventClass<E> & { parse(data: unknown, options?: { topic?: string }): E };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Reads UTF-8 JSON into a validated event [JsonValueDeserializer]. Returns the event, a
 * `DeserializeJsonError` with the original bytes, or `null` for an empty message; never throws.
 */
export class JsonValueDeserializer<E extends NotificationEvent<unknown>> implements ValueDeserializer<E> {
  readonly #model: JsonValueDeserializerOptions<E>['model'];

  constructor(options: JsonValueDeserializerOptions<E>) {
    this.#model = options.model;
  }

  deserialize(data: Uint8Array | null | undefined, context: DeserializeContext): Decoded<E> {
    if (data === null || data === undefined || data.byteLength === 0) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(decoder.decode(data));
    } catch (error) {
      return new DeserializeJsonError({
        errorMessage: `Not valid UTF-8 JSON: ${error instanceof Error ? error.message : String(error)}`,
        errorType: errorName(error),
        messageData: data,
        cause: error,
      });
    }
    try {
      return this.#model.parse(parsed, { topic: context.topic });
    } catch (error) {
      return new DeserializeJsonError({
        errorMessage: error instanceof Error ? error.message : String(error),
        errorType: errorName(error),
        messageData: data,
        cause: error,
      });
    }
  }
}
