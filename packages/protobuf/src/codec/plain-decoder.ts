import type { DescMessage } from '@bufbuild/protobuf';
import { ProtobufWireError } from './codec-error';
import { compilePlainDecoder, isCodegenAvailable } from './compile-functions';
import { fallbackReason, plainDecodeReason } from './coverage';
import { WireReader } from './wire-reader';

/** Decodes the bytes from `offset` on straight to plain data; `ProtobufWireError` for damaged bytes. */
export type PlainDecode = (bytes: Uint8Array, offset: number) => Record<string, unknown>;

const cache = new WeakMap<DescMessage, PlainDecode | null>();

/**
 * The decoder from bytes to what `toPlainObject(desc, decode(bytes))` gives with its default
 * options, in one step: no message object, no `$typeName`, no unknown fields kept, no second
 * walk. `undefined` where it does not apply (code generation off or forbidden, a type the
 * compiled codec leaves to protobuf-es, or one whose plain form differs from the message, see
 * `plainDecodeReason`). Damaged bytes fail exactly as the codec's `decode` fails.
 */
export function plainDecoder(desc: DescMessage, options: { readonly codegen?: boolean } = {}): PlainDecode | undefined {
  if (options.codegen === false || !isCodegenAvailable()) return undefined;
  let decode = cache.get(desc);
  if (decode === undefined) {
    decode = fallbackReason(desc) === undefined && plainDecodeReason(desc) === undefined ? build(desc) : null;
    cache.set(desc, decode);
  }
  return decode ?? undefined;
}

function build(desc: DescMessage): PlainDecode | null {
  let compiled: ReturnType<typeof compilePlainDecoder>;
  try {
    compiled = compilePlainDecoder(desc);
  } catch {
    return null;
  }
  const run = compiled.decode;
  return (bytes, offset) => {
    const reader = new WireReader(bytes, offset, bytes.length);
    try {
      return run(reader, bytes.length, undefined) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof ProtobufWireError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ProtobufWireError('invalid', `not a valid ${desc.typeName}: ${reason}`, { offset: reader.pos, cause: error });
    }
  };
}
