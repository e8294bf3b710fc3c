import { protoInt64 } from '@bufbuild/protobuf';
import type { UnknownField } from './wire-reader';

/**
 * Thrown by a fast path that meets a value it does not handle the way protobuf-es would (a
 * string where a number belongs, a missing required field, a foreign message): the codec then
 * encodes the message with `toBinary`, which either succeeds or throws its own error.
 */
export const BAIL: Error = new Error('a value left to protobuf-es');

const hasBuffer = typeof Buffer === 'function' && typeof Buffer.allocUnsafe === 'function';
const textEncoder = new TextEncoder();
// Node's native UTF-8 copy, for long or non-ASCII text.
const utf8Write = hasBuffer ? (Buffer.prototype as unknown as { utf8Write?: (this: Uint8Array, text: string, offset: number) => number }).utf8Write : undefined;
/**
 * Longest ASCII string written with a charCodeAt loop: ids, timestamps, names and emails fit,
 * and the loop costs less than the native call for them (measured while kafkajs encoded).
 */
const SHORT_MAX = 64;

const floatBytes = new Uint8Array(8);
const float64 = new Float64Array(floatBytes.buffer);
const float32 = new Float32Array(floatBytes.buffer);
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Size of a slab: encoded values are views into it, one after another, so a slab serves a few
 * hundred small events with one allocation (Node's buffer pool is 8 KiB, and refilling it cost
 * more than the encoding itself while kafkajs churned through its own buffers).
 */
const SLAB_SIZE = 64 * 1024;
/** A slab with less room left than this is left to the values it holds. */
const MIN_FREE = 1024;

function varint32Size(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

function allocate(size: number): Uint8Array {
  return hasBuffer ? Buffer.allocUnsafeSlow(size) : new Uint8Array(size);
}

/**
 * Writes Protobuf wire data for the compiled encoders straight into a slab: nested lengths are
 * reserved as one byte and widened in place, and `finish` hands out the written bytes as a view
 * of the slab, with no copy. Values never share bytes: the next message starts after the last
 * one, and a full slab is left to the values that view it (it is freed with the last of them).
 */
export class WireWriter {
  buf: Uint8Array;
  /** Where the message being written starts; the bytes before it belong to values handed out. */
  start = 0;
  pos = 0;
  /** Set while an encode runs: a nested encode (from a getter) takes a writer of its own. */
  busy = false;
  readonly #slabSize: number;

  /** `slabSize`: smaller for a writer that serves one message. */
  constructor(slabSize = SLAB_SIZE) {
    this.#slabSize = slabSize;
    this.buf = allocate(slabSize);
  }

  /** Starts a message: whatever an unfinished one wrote is dropped. */
  begin(): void {
    this.pos = this.start;
  }

  /** Makes room for `size` more bytes. */
  ensure(size: number): void {
    if (this.pos + size > this.buf.length) this.grow(size);
  }

  /**
   * A fresh slab for the message being written, which moves to its start: big enough for it
   * (twice what it needs), so a message outgrowing a slab takes one of its own. Positions the
   * encoders hold (`fork`) are relative to the message's start and stay right.
   */
  private grow(size: number): void {
    const written = this.pos - this.start;
    let length = this.#slabSize;
    while (length < written + size) length *= 2;
    const next = allocate(length);
    next.set(this.buf.subarray(this.start, this.pos));
    this.buf = next;
    this.start = 0;
    this.pos = written;
  }

  /** The message written since `begin()`, as a view of its own bytes. */
  finish(): Uint8Array {
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    // A slab grown for one big message, or nearly full: the next message takes a fresh one.
    if (this.buf.length > this.#slabSize || this.buf.length - this.start < Math.min(MIN_FREE, this.#slabSize / 4)) {
      this.buf = allocate(this.#slabSize);
      this.start = 0;
      this.pos = 0;
    }
    return out;
  }

  /** Raw bytes: a frame prefix or an unknown field's data. */
  raw(bytes: Uint8Array): void {
    const length = bytes.length;
    this.ensure(length);
    if (length < 16) {
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < length; i += 1) buf[pos++] = bytes[i]!;
      this.pos = pos;
      return;
    }
    this.buf.set(bytes, this.pos);
    this.pos += length;
  }

  /** A precomputed one-byte tag. */
  tag1(tag: number): void {
    if (this.pos >= this.buf.length) this.grow(1);
    this.buf[this.pos++] = tag;
  }

  /** An unsigned varint up to 2^32 - 1; callers pass checked values. */
  uint32(value: number): void {
    if (this.pos + 5 > this.buf.length) this.grow(5);
    const buf = this.buf;
    let pos = this.pos;
    while (value > 0x7f) {
      buf[pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buf[pos++] = value;
    this.pos = pos;
  }

  /** A varint of a signed 32-bit value: negative values take 10 bytes, as int64 would. */
  private signed32(value: number): void {
    if (value >= 0) {
      this.uint32(value);
      return;
    }
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < 9; i += 1) {
      buf[pos++] = (value & 0x7f) | 0x80;
      value >>= 7;
    }
    buf[pos++] = 1;
    this.pos = pos;
  }

  int32(value: unknown): void {
    if (typeof value !== 'number' || (value | 0) !== value) throw BAIL;
    this.signed32(value);
  }

  /** uint32 and fixed32 values: integers in [0, 2^32). */
  private checkedUint32(value: unknown): number {
    if (typeof value !== 'number' || value >>> 0 !== value) throw BAIL;
    return value;
  }

  uint32Value(value: unknown): void {
    this.uint32(this.checkedUint32(value));
  }

  sint32(value: unknown): void {
    if (typeof value !== 'number' || (value | 0) !== value) throw BAIL;
    this.uint32(((value << 1) ^ (value >> 31)) >>> 0);
  }

  bool(value: unknown): void {
    if (typeof value !== 'boolean') throw BAIL;
    this.tag1(value ? 1 : 0);
  }

  /** An enum value: int32 on the wire. */
  enum(value: unknown): void {
    this.int32(value);
  }

  private varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < 28; i += 7) {
      const shift = lo >>> i;
      const more = !(shift >>> 7 === 0 && hi === 0);
      buf[pos++] = (more ? shift | 0x80 : shift) & 0xff;
      if (!more) {
        this.pos = pos;
        return;
      }
    }
    const split = ((lo >>> 28) & 0x0f) | ((hi & 0x07) << 4);
    const moreHi = !(hi >> 3 === 0);
    buf[pos++] = (moreHi ? split | 0x80 : split) & 0xff;
    if (moreHi) {
      for (let i = 3; i < 31; i += 7) {
        const shift = hi >>> i;
        const more = !(shift >>> 7 === 0);
        buf[pos++] = (more ? shift | 0x80 : shift) & 0xff;
        if (!more) {
          this.pos = pos;
          return;
        }
      }
      buf[pos++] = (hi >>> 31) & 0x01;
    }
    this.pos = pos;
  }

  int64(value: unknown): void {
    if (typeof value === 'bigint' && value >= -0x80000000n && value <= 0x7fffffffn) {
      this.signed32(Number(value));
      return;
    }
    const tc = this.enc(value, false);
    this.varint64(tc.lo, tc.hi);
  }

  uint64(value: unknown): void {
    if (typeof value === 'bigint' && value >= 0n && value <= 0xffffffffn) {
      this.uint32(Number(value));
      return;
    }
    const tc = this.enc(value, true);
    this.varint64(tc.lo, tc.hi);
  }

  sint64(value: unknown): void {
    const tc = this.enc(value, false);
    const sign = tc.hi >> 31;
    this.varint64((tc.lo << 1) ^ sign, ((tc.hi << 1) | (tc.lo >>> 31)) ^ sign);
  }

  /** A 64-bit value as two words; only bigints and decimal strings of the field's kind. */
  private enc(value: unknown, unsigned: boolean): { lo: number; hi: number } {
    // protobuf-es also takes numbers and other string forms (`BigInt(value)`): toBinary decides those.
    if (typeof value !== 'bigint' && (typeof value !== 'string' || !/^-?[0-9]+$/.test(value))) throw BAIL;
    try {
      return unsigned ? protoInt64.uEnc(value) : protoInt64.enc(value);
    } catch {
      throw BAIL;
    }
  }

  private word(value: number): void {
    const buf = this.buf;
    const pos = this.pos;
    buf[pos] = value;
    buf[pos + 1] = value >>> 8;
    buf[pos + 2] = value >>> 16;
    buf[pos + 3] = value >>> 24;
    this.pos = pos + 4;
  }

  fixed32(value: unknown): void {
    const checked = this.checkedUint32(value);
    this.ensure(4);
    this.word(checked);
  }

  sfixed32(value: unknown): void {
    if (typeof value !== 'number' || (value | 0) !== value) throw BAIL;
    this.ensure(4);
    this.word(value);
  }

  fixed64(value: unknown): void {
    const tc = this.enc(value, true);
    this.ensure(8);
    this.word(tc.lo);
    this.word(tc.hi);
  }

  sfixed64(value: unknown): void {
    const tc = this.enc(value, false);
    this.ensure(8);
    this.word(tc.lo);
    this.word(tc.hi);
  }

  double(value: unknown): void {
    if (typeof value !== 'number') throw BAIL;
    this.ensure(8);
    if (!LITTLE_ENDIAN) {
      new DataView(this.buf.buffer, this.buf.byteOffset).setFloat64(this.pos, value, true);
      this.pos += 8;
      return;
    }
    float64[0] = value;
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < 8; i += 1) buf[pos++] = floatBytes[i]!;
    this.pos = pos;
  }

  float(value: unknown): void {
    // protobuf-es refuses finite values a float32 can't hold; NaN and infinities pass.
    if (typeof value !== 'number' || (!Number.isFinite(Math.fround(value)) && Number.isFinite(value))) throw BAIL;
    this.ensure(4);
    if (!LITTLE_ENDIAN) {
      new DataView(this.buf.buffer, this.buf.byteOffset).setFloat32(this.pos, value, true);
      this.pos += 4;
      return;
    }
    float32[0] = value;
    const buf = this.buf;
    const pos = this.pos;
    buf[pos] = floatBytes[0]!;
    buf[pos + 1] = floatBytes[1]!;
    buf[pos + 2] = floatBytes[2]!;
    buf[pos + 3] = floatBytes[3]!;
    this.pos = pos + 4;
  }

  bytes(value: unknown): void {
    if (!(value instanceof Uint8Array)) throw BAIL;
    this.uint32(value.length);
    this.raw(value);
  }

  /** UTF-8 text with its length; lone surrogates become U+FFFD, as `TextEncoder` writes them. */
  string(value: unknown): void {
    if (typeof value !== 'string') throw BAIL;
    const length = value.length;
    this.ensure(length * 3 + 5);
    const buf = this.buf;
    const start = this.pos;
    if (length <= SHORT_MAX) {
      let pos = start + 1;
      let i = 0;
      for (; i < length; i += 1) {
        const code = value.charCodeAt(i);
        if (code > 0x7f) break;
        buf[pos++] = code;
      }
      if (i === length) {
        buf[start] = length;
        this.pos = pos;
        return;
      }
    }
    const guess = varint32Size(length);
    const written = utf8Write !== undefined ? utf8Write.call(buf, value, start + guess) : textEncoder.encodeInto(value, buf.subarray(start + guess)).written;
    const size = varint32Size(written);
    if (size !== guess) buf.copyWithin(start + size, start + guess, start + guess + written);
    this.uint32(written);
    this.pos += written;
  }

  /** Reserves one byte for the length of a nested value; `join` fills it in. */
  fork(): number {
    if (this.pos >= this.buf.length) this.grow(1);
    return this.pos++ - this.start;
  }

  /** Writes the length of the value `fork` started, moving the value when the length takes more than a byte. */
  join(from: number): void {
    // `from` is where `fork` reserved the byte, from the message's start (the slab may have changed).
    const at = this.start + from;
    const length = this.pos - at - 1;
    if (length < 0x80) {
      this.buf[at] = length;
      return;
    }
    const size = varint32Size(length);
    this.ensure(size - 1);
    // Where the byte is now: `ensure` may have moved the message to a new slab.
    const moved = this.start + from;
    const buf = this.buf;
    buf.copyWithin(moved + size, moved + 1, this.pos);
    let value = length;
    let pos = moved;
    while (value > 0x7f) {
      buf[pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buf[pos] = value;
    this.pos += size - 1;
  }

  /** Unknown fields as protobuf-es writes them: tag, then the kept bytes. */
  unknown(fields: readonly UnknownField[]): void {
    for (let i = 0; i < fields.length; i += 1) {
      const field = fields[i]!;
      this.uint32(((field.no << 3) | field.wireType) >>> 0);
      this.raw(field.data);
    }
  }
}
