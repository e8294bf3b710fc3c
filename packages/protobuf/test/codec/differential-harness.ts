import { fromBinary, ScalarType, toBinary, type DescMessage } from '@bufbuild/protobuf';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { messageCodec, ProtobufSerializeError, ProtobufWireError, toPlainObject } from '../../src';
import { plainDecoder } from '../../src/codec/plain-decoder';
import { Random, randomMessage } from './random-message';

// Differential testing: the compiled codec against protobuf-es's toBinary/fromBinary on
// thousands of generated messages per schema, in both directions.

/** The message as text: own keys in order, proto2 prototype defaults, bigints, bytes, -0 and NaN. */
export function shape(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Uint8Array) return `<${Buffer.from(value).toString('hex')}>`;
  if (Array.isArray(value)) return `[${value.map(shape).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const proto: unknown = Object.getPrototypeOf(value);
    const own = Object.keys(value).map((key) => `${JSON.stringify(key)}:${shape((value as Record<string, unknown>)[key])}`);
    const inherited = proto !== Object.prototype && proto !== null ? Object.entries(proto as object).map(([key, v]) => `${key}=${shape(v)}`) : [];
    return `{${own.join(',')}${inherited.length > 0 ? ` proto ${inherited.join(',')}` : ''}}`;
  }
  return String(value);
}

/** Equal shapes; the cheap string comparison first, jest's diff only on a mismatch. */
export function expectSameShape(ours: unknown, theirs: unknown): void {
  const a = shape(ours);
  const b = shape(theirs);
  if (a !== b) expect(a).toBe(b);
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function attempt<T>(run: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Our stricter checks: bytes protobuf-es reads anyway, which we call damaged. */
const STRICTER = new Set(['wrong-wire-type', 'overrun', 'bad-varint']);

export function expectSameDecode(desc: DescMessage, bytes: Uint8Array, context: string): void {
  const theirs = attempt(() => fromBinary(desc, bytes));
  const ours = attempt(() => messageCodec(desc).decode(bytes));
  expectSamePlainDecode(desc, bytes, context);
  if (!ours.ok) {
    expect(ours.error).toBeInstanceOf(ProtobufWireError);
    if (theirs.ok && !STRICTER.has((ours.error as ProtobufWireError).problem)) {
      throw new Error(`${context}: protobuf-es reads ${hex(bytes)} but we fail with ${(ours.error as Error).message}`);
    }
    return;
  }
  if (!theirs.ok) throw new Error(`${context}: protobuf-es fails on ${hex(bytes)} (${String(theirs.error)}) but we read it`);
  expectSameShape(ours.value, theirs.value);
}

/**
 * Where the type has a plain-data decoder: it gives what `toPlainObject` makes of our decoded
 * message, and fails where our decode fails, with the same problem.
 */
function expectSamePlainDecode(desc: DescMessage, bytes: Uint8Array, context: string): void {
  const decodePlain = plainDecoder(desc);
  if (decodePlain === undefined) return;
  const message = attempt(() => messageCodec(desc).decode(bytes));
  const plain = attempt(() => decodePlain(bytes, 0));
  if (!message.ok) {
    if (plain.ok) throw new Error(`${context}: the message decode fails on ${hex(bytes)} but the plain decode reads it`);
    expect((plain.error as ProtobufWireError).problem).toBe((message.error as ProtobufWireError).problem);
    return;
  }
  if (!plain.ok) throw new Error(`${context}: the plain decode fails on ${hex(bytes)} (${String(plain.error)}) but the message decode reads it`);
  expectSameShape(plain.value, toPlainObject(desc, message.value));
}

/** The differential tests of one schema: `count` generated messages in each direction, and damaged bytes. */
export function describeDifferential(label: string, desc: DescMessage, count: number, plainDecodable: boolean): void {
  describe(`compiled codec vs protobuf-es: ${label}`, () => {
  const codec = messageCodec(desc);

  test('compiles (no fallback)', () => {
    expect(codec.fallbackReason).toBeUndefined();
    expect(codec.compiled).toBe(true);
  });

  test(plainDecodable ? 'has a plain-data decoder, checked on every input below' : 'has no plain-data decoder (its plain form differs from the message)', () => {
    expect(plainDecoder(desc) !== undefined).toBe(plainDecodable);
  });

  test(`encodes ${count} random messages to the same bytes, and decodes them to the same messages`, () => {
    const random = new Random(desc.typeName.length * 7919);
    let encoded = 0;
    for (let i = 0; i < count; i += 1) {
      const message = randomMessage(random, desc, { unknown: true });
      const theirs = attempt(() => toBinary(desc, message));
      const ours = attempt(() => codec.encode(message));
      if (!theirs.ok) {
        // A missing required field: both refuse.
        expect(ours.ok).toBe(false);
        if (!ours.ok) expect(ours.error).toBeInstanceOf(ProtobufSerializeError);
        continue;
      }
      if (!ours.ok) throw new Error(`message ${i}: protobuf-es encodes it, we throw ${String(ours.error)}`);
      if (Buffer.compare(ours.value, theirs.value) !== 0) expect(hex(ours.value)).toBe(hex(theirs.value));
      expectSameDecode(desc, theirs.value, `message ${i}`);
      encoded += 1;
    }
    expect(encoded).toBeGreaterThan(count / 2);
  });

  test(`decodes ${count} other encodings the same: merged messages, unpacked lists, unknown fields`, () => {
    const random = new Random(desc.typeName.length * 104_729);
    for (let i = 0; i < count; i += 1) {
      const parts: Uint8Array[] = [];
      for (let n = 1 + random.int(3); n > 0; n -= 1) {
        const encoded = attempt(() => toBinary(desc, randomMessage(random, desc, { depth: 2 }), { writeUnknownFields: true }));
        if (encoded.ok) parts.push(encoded.value);
        if (random.chance(0.5)) parts.push(otherEncodings(random, desc));
      }
      const bytes = Buffer.concat(parts);
      expectSameDecode(desc, bytes, `input ${i}`);
      // What we decoded encodes to what protobuf-es encodes from its own reading.
      const decoded = attempt(() => fromBinary(desc, bytes));
      if (decoded.ok) {
        const theirs = attempt(() => toBinary(desc, decoded.value));
        if (theirs.ok) expect(hex(codec.encode(messageCodec(desc).decode(bytes)))).toBe(hex(theirs.value));
      }
    }
  });

  test(`damaged bytes (${count} truncations, flips and insertions) give a ProtobufWireError or what protobuf-es reads`, () => {
    const random = new Random(desc.typeName.length * 15_485_863);
    for (let i = 0; i < count; i += 1) {
      const encoded = attempt(() => toBinary(desc, randomMessage(random, desc, { depth: 2 })));
      if (!encoded.ok || encoded.value.length === 0) continue;
      const bytes = Uint8Array.from(encoded.value);
      let damaged: Uint8Array;
      switch (random.int(4)) {
        case 0:
          damaged = bytes.subarray(0, random.int(bytes.length));
          break;
        case 1:
          bytes[random.int(bytes.length)] = random.int(256);
          damaged = bytes;
          break;
        case 2: {
          const at = random.int(bytes.length);
          damaged = Buffer.concat([bytes.subarray(0, at), random.bytes(1 + random.int(4)), bytes.subarray(at)]);
          break;
        }
        default:
          damaged = Buffer.concat([bytes, Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)]);
      }
      expectSameDecode(desc, damaged, `damaged ${i}`);
    }
  });
});
}

/** Fields written by hand: unpacked forms of packed lists, unknown field numbers, groups. */
function otherEncodings(random: Random, desc: DescMessage): Uint8Array {
  const writer = new BinaryWriter();
  for (const field of desc.fields) {
    if (field.fieldKind === 'list' && field.listKind !== 'message' && random.chance(0.3)) {
      if (field.listKind === 'enum') writer.tag(field.number, 0).int32(random.pick(field.enum.values).number);
      else if (field.scalar === ScalarType.INT32) {
        // Both encodings of one list: packed and unpacked items append to it.
        writer.tag(field.number, 0).int32(random.int(1000) - 500);
        writer.tag(field.number, 2).fork().int32(7).int32(-7).join();
      }
    }
  }
  const unknownNo = 5000 + random.int(50);
  switch (random.int(5)) {
    case 0:
      writer.tag(unknownNo, 0).uint64(random.bits64());
      break;
    case 1:
      writer.tag(unknownNo, 1).fixed64(random.bits64());
      break;
    case 2:
      writer.tag(unknownNo, 2).bytes(random.bytes(random.int(10)));
      break;
    case 3:
      writer.tag(unknownNo, 3).tag(1, 0).int32(5).tag(2, 2).string('in a group').tag(unknownNo, 4);
      break;
    default:
      writer.tag(unknownNo, 5).fixed32(random.int(2 ** 32));
  }
  return writer.finish();
}

