import type { DescMessage } from '@bufbuild/protobuf';
import { ProtobufWireError } from './codec-error';
import { WireReader } from './wire-reader';

/** A generated decoder: reads the message between `reader.pos` and `end`. */
export type GeneratedDecoder = (reader: WireReader, end: number, into: undefined) => unknown;

/**
 * Runs a generated decoder over `bytes` from `offset` to the end. Its own errors are
 * `ProtobufWireError`s already; anything else (a bug, a value the code did not expect) becomes
 * one too, at the reader's position, so damaged bytes always give the typed error.
 */
export function runDecoder(desc: DescMessage, decode: GeneratedDecoder, bytes: Uint8Array, offset: number): unknown {
  const reader = new WireReader(bytes, offset, bytes.length);
  try {
    return decode(reader, bytes.length, undefined);
  } catch (error) {
    if (error instanceof ProtobufWireError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProtobufWireError('invalid', `not a valid ${desc.typeName}: ${reason}`, { offset: reader.pos, cause: error });
  }
}
