import { DeserializeError } from '@cqrs/core';

/**
 * Bytes that are not a valid Protobuf event [DeserializeProtobufError]: a bad frame, an unknown
 * schema id, another message type, bytes that do not parse, or an event that fails validation.
 * Returned, never thrown; `messageData` holds the original bytes for logs and dead letters.
 */
export class DeserializeProtobufError extends DeserializeError {
  readonly name = 'DeserializeProtobufError';
}
