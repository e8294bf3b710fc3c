import { CqrsError, type CqrsErrorOptions } from '@cqrs/core';

/** Why bytes are not a valid message: each is a distinct kind of damage. */
export type WireProblem =
  | 'truncated'
  | 'bad-varint'
  | 'bad-tag'
  | 'wrong-wire-type'
  | 'length-past-end'
  | 'overrun'
  | 'bad-group'
  | 'bad-utf8'
  | 'too-deep'
  /** Reported by protobuf-es, which decodes the types the compiled code doesn't cover. */
  | 'invalid';

/** Options of `ProtobufWireError`. */
export interface ProtobufWireErrorOptions extends CqrsErrorOptions {
  /** Offset in the input where the damage was found. */
  readonly offset: number;
}

/**
 * Bytes that are not a valid Protobuf message of the expected type: truncated, a bad varint or
 * tag, a known field with the wrong wire type, a length past the end, bad UTF-8 in a checked
 * string, nesting deeper than the limit. The compiled codec throws it; the deserializer turns
 * it into a `DeserializeProtobufError` that keeps the bytes.
 */
export class ProtobufWireError extends CqrsError {
  /** What is wrong with the bytes. */
  readonly problem: WireProblem;
  /** Offset in the input where the damage was found. */
  readonly offset: number;

  constructor(problem: WireProblem, message: string, options: ProtobufWireErrorOptions) {
    super('PROTOBUF_WIRE_INVALID', message, options);
    this.name = 'ProtobufWireError';
    this.problem = problem;
    this.offset = options.offset;
  }
}
