import { CqrsError, type CqrsErrorOptions } from '@cqrs/core';

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
export class SchemaRegistryError extends CqrsError {
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
export class ProtobufSerializeError extends CqrsError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('PROTOBUF_SERIALIZE_FAILED', message, options);
    this.name = 'ProtobufSerializeError';
  }
}

/** A `.proto` file or descriptor could not be read or printed. */
export class ProtoSchemaError extends CqrsError {
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
