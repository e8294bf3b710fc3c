import { ConfigurationError, CqrsError, isCqrsError, type CqrsErrorOptions } from '@cqrs/core';

const PROTOBUF_ERROR = Symbol.for('@cqrs/protobuf/ProtobufError');

/** Root of every error `@cqrs/protobuf` throws (a core `CqrsError`); `isProtobufError` recognises it across package copies. */
export class ProtobufError extends CqrsError {
  constructor(code: string, message: string, options: CqrsErrorOptions = {}) {
    super(code, message, options);
    this.name = 'ProtobufError';
    Object.defineProperty(this, PROTOBUF_ERROR, { value: true });
  }
}

/** Options that cannot work (an event class without `protoSchema` and no `protobufModel`); a core `ConfigurationError`. */
export class ProtobufConfigError extends ConfigurationError {
  constructor(message: string) {
    super(message, { code: 'PROTOBUF_INVALID_OPTIONS' });
    this.name = 'ProtobufConfigError';
    Object.defineProperty(this, PROTOBUF_ERROR, { value: true });
  }
}

/** True for any error `@cqrs/protobuf` throws, also one from another copy of the package (ESM beside CJS). */
export function isProtobufError(value: unknown): value is CqrsError {
  return isCqrsError(value) && (value as unknown as Record<symbol, unknown>)[PROTOBUF_ERROR] === true;
}

/** Options of `SchemaRegistryError`. */
export interface SchemaRegistryErrorOptions extends CqrsErrorOptions {
  /** HTTP status of the registry's answer; absent when there was none (connection refused). */
  readonly status?: number;
  /** The registry's own error code (40401 subject not found, 40403 schema not found, ...). */
  readonly registryCode?: number;
}

/**
 * The schema registry refused a request or could not be reached. `retriable` is true when the
 * registry was unreachable or answered 5xx/429, so a consumer nacks and tries again later.
 */
export class SchemaRegistryError extends ProtobufError {
  /** HTTP status of the registry's answer, if it answered. */
  readonly status: number | undefined;
  /** The registry's own error code, if it sent one. */
  readonly registryCode: number | undefined;

  constructor(message: string, options: SchemaRegistryErrorOptions = {}) {
    super('SCHEMA_REGISTRY_ERROR', message, options);
    this.name = 'SchemaRegistryError';
    this.status = options.status;
    this.registryCode = options.registryCode;
  }
}

/** An event could not be turned into Protobuf bytes (no `proto()`, no schema, a bad message). */
export class ProtobufSerializeError extends ProtobufError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('PROTOBUF_SERIALIZE_FAILED', message, options);
    this.name = 'ProtobufSerializeError';
  }
}

/** A `.proto` file or descriptor could not be read or printed. */
export class ProtoSchemaError extends ProtobufError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('PROTO_SCHEMA_INVALID', message, options);
    this.name = 'ProtoSchemaError';
  }
}

/**
 * A Protobuf value and plain data did not map onto each other: an int64 beyond ±2^53 asked for
 * as a `number`, an enum name the enum does not have, two members of one oneof set, a value of
 * the wrong kind. The message names the field (`cqrs.interop.v1.OrderDetails.amount_micros`).
 */
export class ProtobufMappingError extends CqrsError {
  /** The field's full name. */
  readonly field: string;

  constructor(field: string, message: string, options: CqrsErrorOptions = {}) {
    super('PROTOBUF_MAPPING_FAILED', `${field}: ${message}`, options);
    this.name = 'ProtobufMappingError';
    this.field = field;
  }
}
