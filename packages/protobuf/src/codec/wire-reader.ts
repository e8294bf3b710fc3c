import { protoInt64 } from '@bufbuild/protobuf';
import { ProtobufWireError, type WireProblem } from './codec-error';

/** An unknown field as protobuf-es keeps it in `$unknown`. */
export interface UnknownField {
  no: number;
  wireType: number;
  data: Uint8Array;
}

/** protobuf-es's default nesting limit (`recursionLimit`). */
export const RECURSION_LIMIT = 100;

const TWO_32 = 0x100000000;
// Words of a 64-bit value whose magnitude is below 2^53 convert through a double exactly.
const SAFE_HI = 0x1fffff;

const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// Scratch for floats: copying 4 or 8 bytes beats building a DataView per input.
const floatBytes = new Uint8Array(8);
const float64 = new Float64Array(floatBytes.buffer);
const float32 = new Float32Array(floatBytes.buffer);
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Longest ASCII string built with `String.fromCharCode`; longer text is decoded by Node natively. */
const SHORT_MAX = 16;
const CODES: number[][] = Array.from({ length: SHORT_MAX + 1 }, (_, n) => new Array<number>(n).fill(0));
// Node's native UTF-8 decoding: a flat cost well under TextDecoder's.
const utf8Slice = typeof Buffer === 'function' ? (Buffer.prototype as unknown as { utf8Slice?: (this: Uint8Array, start: number, end: number) => string }).utf8Slice : undefined;

/**
 * Reads Protobuf wire data for the compiled decoders: a cursor over one input with bounds
 * checks against its end, the same values `BinaryReader` returns, and a typed error for
 * damaged bytes instead of reading past the end.
 */
export class WireReader {
  readonly buf: Uint8Array;
  pos: number;
  /** End of the input: no read goes past it. */
  readonly len: number;
  depth = 0;
  lo = 0;
  hi = 0;

  constructor(buf: Uint8Array, pos: number, len: number) {
    this.buf = buf;
    this.pos = pos;
    this.len = len;
  }

  /** Throws the typed error for damage at the current position. */
  fail(problem: WireProblem, message: string): never {
    throw new ProtobufWireError(problem, `${message} at offset ${this.pos}`, { offset: this.pos });
  }

  /** A tag: field number and wire type as one uint32, checked the way `BinaryReader.tag()` does. */
  tag(): number {
    const pos = this.pos;
    if (pos < this.len) {
      const b = this.buf[pos]!;
      if (b < 0x80 && b >= 8) {
        this.pos = pos + 1;
        if ((b & 7) > 5) this.fail('bad-tag', `illegal tag: wire type ${b & 7}`);
        return b;
      }
    }
    return this.tagSlow();
  }

  private tagSlow(): number {
    const start = this.pos;
    const tag = this.uint32();
    const read = this.pos - start;
    if (read > 5 || (read === 5 && this.buf[this.pos - 1]! > 0x0f)) this.fail('bad-tag', 'illegal tag: varint overflows uint32');
    if (tag >>> 3 === 0 || (tag & 7) > 5) this.fail('bad-tag', `illegal tag: field no ${tag >>> 3} wire type ${tag & 7}`);
    return tag;
  }

  /** An unsigned 32-bit varint; longer varints keep their low 32 bits, as protobuf-es does. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos + 5 <= this.len) {
      let b = buf[pos++]!;
      if (b < 0x80) {
        this.pos = pos;
        return b;
      }
      let result = b & 0x7f;
      b = buf[pos++]!;
      result |= (b & 0x7f) << 7;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
      b = buf[pos++]!;
      result |= (b & 0x7f) << 14;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
      b = buf[pos++]!;
      result |= (b & 0x7f) << 21;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
    }
    this.varint64();
    return this.lo >>> 0;
  }

  /** A 64-bit varint into `lo` and `hi`. */
  varint64(): void {
    const buf = this.buf;
    const len = this.len;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= len) this.fail('truncated', 'truncated varint');
      const b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo;
        this.hi = 0;
        return;
      }
    }
    if (pos >= len) this.fail('truncated', 'truncated varint');
    const middle = buf[pos++]!;
    lo |= (middle & 0x0f) << 28;
    hi = (middle & 0x70) >> 4;
    if (middle < 0x80) {
      this.pos = pos;
      this.lo = lo;
      this.hi = hi;
      return;
    }
    for (let shift = 3; shift <= 31; shift += 7) {
      if (pos >= len) this.fail('truncated', 'truncated varint');
      const b = buf[pos++]!;
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo;
        this.hi = hi;
        return;
      }
    }
    this.pos = pos;
    this.fail('bad-varint', 'varint longer than 10 bytes');
  }

  int32(): number {
    return this.uint32() | 0;
  }

  sint32(): number {
    const zz = this.uint32();
    return (zz >>> 1) ^ -(zz & 1);
  }

  bool(): boolean {
    const pos = this.pos;
    if (pos < this.len) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b !== 0;
      }
    }
    this.varint64();
    return this.lo !== 0 || this.hi !== 0;
  }

  /** The signed 64-bit value in `lo`/`hi` as protobuf-es represents it (bigint, or a string). */
  signed(lo: number, hi: number): bigint | string {
    if (hi === 0 && lo >= 0 && protoInt64.supported) return BigInt(lo);
    if (hi >= -SAFE_HI - 1 && hi <= SAFE_HI && protoInt64.supported) return BigInt(hi * TWO_32 + (lo >>> 0));
    return protoInt64.dec(lo, hi);
  }

  unsigned(lo: number, hi: number): bigint | string {
    if (hi >>> 0 <= SAFE_HI && protoInt64.supported) return BigInt((hi >>> 0) * TWO_32 + (lo >>> 0));
    return protoInt64.uDec(lo, hi);
  }

  int64(): bigint | string {
    this.varint64();
    return this.signed(this.lo, this.hi);
  }

  uint64(): bigint | string {
    this.varint64();
    return this.unsigned(this.lo, this.hi);
  }

  sint64(): bigint | string {
    this.varint64();
    const lo = this.lo;
    const hi = this.hi;
    const s = -(lo & 1);
    return this.signed(((lo >>> 1) | ((hi & 1) << 31)) ^ s, (hi >>> 1) ^ s);
  }

  /** The next `n` bytes, with the cursor past them. */
  private fixed(n: number): number {
    const pos = this.pos;
    if (pos + n > this.len) this.fail('truncated', `truncated ${n * 8}-bit value`);
    this.pos = pos + n;
    return pos;
  }

  private word(at: number): number {
    const buf = this.buf;
    return buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24);
  }

  fixed32(): number {
    return this.word(this.fixed(4)) >>> 0;
  }

  sfixed32(): number {
    return this.word(this.fixed(4));
  }

  fixed64(): bigint | string {
    const at = this.fixed(8);
    return this.unsigned(this.word(at), this.word(at + 4));
  }

  sfixed64(): bigint | string {
    const at = this.fixed(8);
    return this.signed(this.word(at), this.word(at + 4));
  }

  float(): number {
    const at = this.fixed(4);
    const buf = this.buf;
    if (LITTLE_ENDIAN) {
      floatBytes[0] = buf[at]!;
      floatBytes[1] = buf[at + 1]!;
      floatBytes[2] = buf[at + 2]!;
      floatBytes[3] = buf[at + 3]!;
      return float32[0]!;
    }
    return new DataView(buf.buffer, buf.byteOffset).getFloat32(at, true);
  }

  double(): number {
    const at = this.fixed(8);
    const buf = this.buf;
    if (LITTLE_ENDIAN) {
      for (let i = 0; i < 8; i += 1) floatBytes[i] = buf[at + i]!;
      return float64[0]!;
    }
    return new DataView(buf.buffer, buf.byteOffset).getFloat64(at, true);
  }

  /** Reads a length prefix and returns where the delimited value ends. */
  delimited(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.len) this.fail('length-past-end', `length ${length} past the end of the input`);
    return end;
  }

  /** Checks that a delimited value ended where its length said. */
  endAt(end: number): void {
    if (this.pos !== end) this.fail('overrun', `a field runs past the end of its enclosing value (${end})`);
  }

  /** A view of the bytes, like `BinaryReader.bytes()`: it shares memory with the input. */
  bytes(): Uint8Array {
    const end = this.delimited();
    const start = this.pos;
    this.pos = end;
    return this.buf.subarray(start, end);
  }

  /** UTF-8 text; `strict` (the field's `utf8_validation`) turns invalid UTF-8 into an error. */
  string(strict: boolean): string {
    const end = this.delimited();
    const start = this.pos;
    this.pos = end;
    const length = end - start;
    if (length === 0) return '';
    const buf = this.buf;
    if (length <= SHORT_MAX) {
      // One array per length, reused: no garbage per string.
      const codes = CODES[length]!;
      let i = 0;
      for (; i < length; i += 1) {
        const byte = buf[start + i]!;
        if (byte > 0x7f) break;
        codes[i] = byte;
      }
      if (i === length) return String.fromCharCode.apply(null, codes);
    } else if (utf8Slice !== undefined) {
      // Node's native decoder; a U+FFFD in its result may be a replacement, so TextDecoder decides.
      const text = utf8Slice.call(buf, start, end);
      if (text.indexOf('\uFFFD') === -1) return text;
    }
    return this.utf8(start, end, strict);
  }

  private utf8(start: number, end: number, strict: boolean): string {
    const bytes = this.buf.subarray(start, end);
    if (!strict) return textDecoder.decode(bytes);
    try {
      return strictDecoder.decode(bytes);
    } catch (error) {
      this.pos = start;
      throw new ProtobufWireError('bad-utf8', `invalid UTF-8 in a string field at offset ${start}`, { offset: start, cause: error });
    }
  }

  /** Skips one value of `wireType` and returns its bytes, like `BinaryReader.skip()`. */
  skip(wireType: number, fieldNo: number): Uint8Array {
    const start = this.pos;
    switch (wireType) {
      case 0:
        this.varint64();
        break;
      case 1:
        this.fixed(8);
        break;
      case 2:
        this.pos = this.delimited();
        break;
      case 3:
        this.skipGroup(fieldNo, RECURSION_LIMIT - this.depth);
        break;
      case 5:
        this.fixed(4);
        break;
      default:
        this.fail('bad-group', `unexpected wire type ${wireType} for field ${fieldNo}`);
    }
    return this.buf.subarray(start, this.pos);
  }

  private skipGroup(fieldNo: number, budget: number): void {
    if (budget <= 0) this.fail('too-deep', 'maximum recursion depth reached');
    for (;;) {
      const tag = this.tag();
      const no = tag >>> 3;
      const wireType = tag & 7;
      if (wireType === 4) {
        if (no !== fieldNo) this.fail('bad-group', 'invalid end group tag');
        return;
      }
      if (wireType === 3) this.skipGroup(no, budget - 1);
      else this.skip(wireType, no);
    }
  }

  /** A field the message doesn't declare: kept in `unknown`, created on first use. */
  unknown(tag: number, unknown: UnknownField[] | undefined): UnknownField[] {
    const no = tag >>> 3;
    const wireType = tag & 7;
    const data = this.skip(wireType, no);
    const list = unknown ?? [];
    list.push({ no, wireType, data });
    return list;
  }

  /** Enters a nested message; past the limit is an error, as in protobuf-es. */
  enter(typeName: string): void {
    if (++this.depth > RECURSION_LIMIT) this.fail('too-deep', `cannot decode ${typeName}: maximum recursion depth of ${RECURSION_LIMIT} reached`);
  }
}
