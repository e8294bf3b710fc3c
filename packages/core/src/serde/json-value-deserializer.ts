import { isErrorLike } from '../errors/error-like';
import { ConfigurationError } from '../errors/errors';
import type { NotificationEvent, NotificationEventClass, ParseOptions } from '../events/notification-event';
import { zoneFormat, type TimestampOptions } from '../events/parse-timestamp';
import { DeserializeJsonError } from './deserialize-error';
import type { Decoded, DeserializeContext, ValueDeserializer } from './value-deserializer';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Options of `JsonValueDeserializer`. `naiveTimeZone` (UTC by default) places timestamps
 * written without an offset, as python-cqrs 5.x writes them; `subMillisecond` says whether
 * microseconds, which a `Date` cannot hold, are truncated (the default) or make the message
 * invalid.
 */
export interface JsonValueDeserializerOptions<E extends NotificationEvent<unknown>> extends TimestampOptions {
  /**
   * The event class to build and validate, through its static `parse`. `parse` returns
   * `unknown` here on purpose: `E` is inferred from the constructor alone, so
   * `new JsonValueDeserializer({ model: UserCreatedEvent })` is typed for `UserCreatedEvent`.
   */
  readonly model: NotificationEventClass<E> & { parse(data: unknown, options?: ParseOptions): unknown };
}

function errorName(error: unknown): string {
  return isErrorLike(error) ? error.name : typeof error;
}

function errorText(error: unknown): string {
  return isErrorLike(error) ? error.message : String(error);
}

/**
 * Reads UTF-8 JSON into a validated event [JsonValueDeserializer]. Returns the event, a
 * `DeserializeJsonError` with the original bytes, or `null` for an empty message; never throws.
 * With a `context`, the event's topic is the one the bytes came from.
 */
export class JsonValueDeserializer<E extends NotificationEvent<unknown>> implements ValueDeserializer<E> {
  readonly #model: JsonValueDeserializerOptions<E>['model'];
  readonly #timestamps: TimestampOptions;

  /** Throws `ConfigurationError` for a `naiveTimeZone` the runtime does not know. */
  constructor(options: JsonValueDeserializerOptions<E>) {
    this.#model = options.model;
    const zone = options.naiveTimeZone;
    if (zone !== undefined && zone !== 'UTC' && zone !== 'local') {
      try {
        zoneFormat(zone);
      } catch {
        throw new ConfigurationError(`JsonValueDeserializer: unknown naiveTimeZone ${JSON.stringify(zone)}: expected 'UTC', 'local' or an IANA zone name`);
      }
    }
    this.#timestamps = {
      ...(zone === undefined ? {} : { naiveTimeZone: zone }),
      ...(options.subMillisecond === undefined ? {} : { subMillisecond: options.subMillisecond }),
    };
  }

  deserialize(data: Uint8Array | null | undefined, context?: DeserializeContext): Decoded<E> {
    if (data === null || data === undefined || data.byteLength === 0) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(decoder.decode(data));
    } catch (error) {
      return new DeserializeJsonError({ errorMessage: `Not valid UTF-8 JSON: ${errorText(error)}`, errorType: errorName(error), messageData: data, cause: error });
    }
    try {
      return this.#model.parse(parsed, context === undefined ? this.#timestamps : { ...this.#timestamps, topic: context.topic }) as E;
    } catch (error) {
      return new DeserializeJsonError({ errorMessage: errorText(error), errorType: errorName(error), messageData: data, cause: error });
    }
  }
}
