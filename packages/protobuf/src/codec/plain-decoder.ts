import type { DescMessage } from '@bufbuild/protobuf';
import { compilePlainDecoder, isCodegenAvailable } from './compile-functions';
import { fallbackReason, plainDecodeReason } from './coverage';
import { runDecoder, type GeneratedDecoder } from './run-decoder';

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
  let decode: GeneratedDecoder;
  try {
    decode = compilePlainDecoder(desc).decode;
  } catch {
    return null;
  }
  return (bytes, offset) => runDecoder(desc, decode, bytes, offset) as Record<string, unknown>;
}
