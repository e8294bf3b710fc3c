const DESERIALIZE_ERROR = Symbol.for('@cqrs/core/DeserializeError');

/** What a deserializer found wrong, returned instead of thrown. */
export interface DeserializeErrorInit {
  /** Human-readable reason. */
  readonly errorMessage: string;
  /** Name of the underlying error type, e.g. `SyntaxError`, `ValidationError`. */
  readonly errorType: string;
  /** The original bytes, untouched, for logs and dead letters. */
  readonly messageData: Uint8Array;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/**
 * Base of the typed errors deserializers return for bad bytes [DeserializeJsonError,
 * DeserializeProtobufError]. It is a value, not an exception: consumers check it and nack.
 */
export abstract class DeserializeError implements DeserializeErrorInit {
  static {
    Object.defineProperty(this.prototype, DESERIALIZE_ERROR, { value: true });
  }

  abstract readonly name: string;
  readonly errorMessage: string;
  readonly errorType: string;
  readonly messageData: Uint8Array;
  readonly cause: unknown;

  constructor(init: DeserializeErrorInit) {
    this.errorMessage = init.errorMessage;
    this.errorType = init.errorType;
    this.messageData = init.messageData;
    this.cause = init.cause;
  }

  /** A short form for logs: never the whole payload. */
  toString(): string {
    return `${this.name}(${this.errorType}): ${this.errorMessage} [${this.messageData.byteLength} bytes]`;
  }
}

/** True for any `DeserializeError`, also one from another copy of the package. */
export function isDeserializeError(value: unknown): value is DeserializeError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DESERIALIZE_ERROR] === true;
}

/** Bytes that are not a valid JSON event. */
export class DeserializeJsonError extends DeserializeError {
  readonly name = 'DeserializeJsonError';
}
