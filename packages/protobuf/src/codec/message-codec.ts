import { fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { ProtobufSerializeError } from '../errors/protobuf-errors';
import { ProtobufWireError } from './codec-error';
import { compileFunctions, isCodegenAvailable, type CompiledFunctions } from './compile-functions';
import { fallbackReason } from './coverage';
import { runDecoder } from './run-decoder';
import { WireWriter } from './wire-writer';

/** Options of `messageCodec`. */
export interface MessageCodecOptions {
  /**
   * Generate specialised code with `new Function`; true by default, and turned off by itself
   * where code generation is forbidden (a Content Security Policy without `unsafe-eval`).
   * With `false`, the codec is protobuf-es's `toBinary`/`fromBinary`.
   */
  readonly codegen?: boolean;
}

/**
 * Encodes and decodes one message type to and from the Protobuf binary format, with the same
 * messages and bytes as protobuf-es's `toBinary`/`fromBinary` (`create(Schema)` shapes,
 * `$typeName`, unknown fields kept in `$unknown`, proto2 defaults, `jstype`, editions).
 */
export interface MessageCodec<Desc extends DescMessage = DescMessage> {
  readonly desc: Desc;
  /** True when specialised code runs; false when this type uses protobuf-es. */
  readonly compiled: boolean;
  /** Why the type uses protobuf-es, when it does. */
  readonly fallbackReason: string | undefined;
  /** The message's bytes; `ProtobufSerializeError` for a message protobuf-es can't encode either. */
  encode(message: MessageShape<Desc>): Uint8Array;
  /** `prefix` then the message's bytes, in one array (a Confluent frame prefix, say): no extra copy. */
  encodeWithPrefix(prefix: Uint8Array, message: MessageShape<Desc>): Uint8Array;
  /** The message in `bytes` from `offset` (0 by default) to the end; `ProtobufWireError` for damaged bytes. */
  decode(bytes: Uint8Array, offset?: number): MessageShape<Desc>;
}

const EMPTY = new Uint8Array(0);
const shared = new WireWriter();
/** A nested encode (a getter that encodes) writes one message: a small slab of its own. */
const NESTED_SLAB_SIZE = 1024;

function serializeError(desc: DescMessage, error: unknown): ProtobufSerializeError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ProtobufSerializeError(`cannot encode ${desc.typeName}: ${reason}`, { cause: error });
}

/** A codec that is protobuf-es itself: for types or environments the compiled code doesn't cover. */
class FallbackCodec<Desc extends DescMessage> implements MessageCodec<Desc> {
  readonly compiled = false;

  constructor(
    readonly desc: Desc,
    readonly fallbackReason: string,
  ) {}

  encode(message: MessageShape<Desc>): Uint8Array {
    try {
      return toBinary(this.desc, message);
    } catch (error) {
      throw serializeError(this.desc, error);
    }
  }

  encodeWithPrefix(prefix: Uint8Array, message: MessageShape<Desc>): Uint8Array {
    return withPrefix(prefix, this.encode(message));
  }

  decode(bytes: Uint8Array, offset = 0): MessageShape<Desc> {
    try {
      return fromBinary(this.desc, offset === 0 ? bytes : bytes.subarray(offset));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ProtobufWireError('invalid', `not a valid ${this.desc.typeName}: ${reason}`, { offset, cause: error });
    }
  }
}

/** The generated code of one type, with protobuf-es as the referee for values it won't take. */
class CompiledCodec<Desc extends DescMessage> implements MessageCodec<Desc> {
  readonly compiled = true;
  readonly fallbackReason = undefined;
  readonly #functions: CompiledFunctions;

  constructor(
    readonly desc: Desc,
    functions: CompiledFunctions,
  ) {
    this.#functions = functions;
  }

  encode(message: MessageShape<Desc>): Uint8Array {
    return this.encodeWithPrefix(EMPTY, message);
  }

  encodeWithPrefix(prefix: Uint8Array, message: MessageShape<Desc>): Uint8Array {
    const writer = shared.busy ? new WireWriter(NESTED_SLAB_SIZE) : shared;
    writer.busy = true;
    writer.begin();
    try {
      if (prefix.length > 0) writer.raw(prefix);
      this.#functions.encode(writer, message);
      return writer.finish();
    } catch {
      // An odd value (a number for an int64, a missing required field) or a bug: protobuf-es decides.
      return this.#referee(prefix, message);
    } finally {
      writer.busy = false;
    }
  }

  #referee(prefix: Uint8Array, message: MessageShape<Desc>): Uint8Array {
    let body: Uint8Array;
    try {
      body = toBinary(this.desc, message);
    } catch (error) {
      throw serializeError(this.desc, error);
    }
    return withPrefix(prefix, body);
  }

  decode(bytes: Uint8Array, offset = 0): MessageShape<Desc> {
    return runDecoder(this.desc, this.#functions.decode, bytes, offset) as MessageShape<Desc>;
  }

}

const compiledCache = new WeakMap<DescMessage, MessageCodec>();
const fallbackCache = new WeakMap<DescMessage, MessageCodec>();

/**
 * The codec of a message type, built on first use and cached per type: specialised code
 * generated from the descriptor, or protobuf-es's own `toBinary`/`fromBinary` when code
 * generation is off or forbidden, or when the type (or one inside it) uses what the generated
 * code doesn't cover (groups, unwrapped `google.protobuf.*Value` fields, `Struct` fields).
 *
 * ```ts
 * const codec = messageCodec(UserCreatedSchema);
 * const bytes = codec.encode(create(UserCreatedSchema, { eventId: '1' }));
 * const message = codec.decode(bytes); // same as fromBinary(UserCreatedSchema, bytes)
 * ```
 */
export function messageCodec<Desc extends DescMessage>(desc: Desc, options: MessageCodecOptions = {}): MessageCodec<Desc> {
  const wantCodegen = options.codegen !== false;
  const cache = wantCodegen ? compiledCache : fallbackCache;
  let codec = cache.get(desc);
  if (codec === undefined) {
    codec = build(desc, wantCodegen);
    cache.set(desc, codec);
  }
  return codec as MessageCodec<Desc>;
}

function build<Desc extends DescMessage>(desc: Desc, wantCodegen: boolean): MessageCodec<Desc> {
  if (!wantCodegen) return new FallbackCodec(desc, 'code generation is turned off (codegen: false)');
  if (!isCodegenAvailable()) return new FallbackCodec(desc, 'code generation is forbidden in this environment (new Function throws)');
  const reason = fallbackReason(desc);
  if (reason !== undefined) return new FallbackCodec(desc, reason);
  try {
    return new CompiledCodec(desc, compileFunctions(desc));
  } catch (error) {
    return new FallbackCodec(desc, `code generation failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `prefix` then `body` in one new buffer (pooled `Buffer` where there is one); `body` itself when there is no prefix. */
function withPrefix(prefix: Uint8Array, body: Uint8Array): Uint8Array {
  if (prefix.length === 0) return body;
  const out = typeof Buffer === 'function' ? Buffer.allocUnsafe(prefix.length + body.length) : new Uint8Array(prefix.length + body.length);
  out.set(prefix, 0);
  out.set(body, prefix.length);
  return out;
}
