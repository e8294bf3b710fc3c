import { fromBinary, toBinary, type Message } from '@bufbuild/protobuf';
import { codecV1, UserCreatedSchema } from '@cqrs/example-protos';
import { messageCodec, ProtobufSerializeError, ProtobufWireError } from '../../src';
import { expectSameShape, hex } from './differential-harness';
import { Random, randomMessage } from './random-message';

test('malformed input: the typed error says what is wrong', () => {
  const codec = messageCodec(codecV1.ScalarsSchema);
  const problem = (bytes: number[]): string => {
    try {
      codec.decode(Uint8Array.from(bytes));
    } catch (error) {
      expect(error).toBeInstanceOf(ProtobufWireError);
      return (error as ProtobufWireError).problem;
    }
    throw new Error(`decoded ${JSON.stringify(bytes)}`);
  };
  expect(problem([0x4a])).toBe('truncated'); // f_string's tag, then nothing
  expect(problem([0x28, 0xff, 0xff])).toBe('truncated'); // a varint that stops at the end
  expect(problem([0x28, ...new Array<number>(11).fill(0xff), 0x01])).toBe('bad-varint');
  expect(problem([0x07])).toBe('bad-tag'); // field 0
  expect(problem([0x4a, 0x05, 0x61])).toBe('length-past-end');
  expect(problem([0x4d, 0, 0, 0, 0])).toBe('wrong-wire-type'); // f_string as fixed32
  expect(problem([0x4a, 0x02, 0xc3, 0x28])).toBe('bad-utf8');
  expect(problem([0x94, 0x03])).toBe('bad-group'); // an end-group tag (field 50) with no group
  // A tree 200 levels deep passes protobuf-es's recursion limit of 100.
  let tree: Uint8Array = Uint8Array.of();
  for (let i = 0; i < 200; i += 1) tree = Uint8Array.from([0x12, ...varint(tree.length), ...tree]);
  expect(() => messageCodec(codecV1.TreeSchema).decode(tree)).toThrow(ProtobufWireError);
  expect(() => fromBinary(codecV1.TreeSchema, tree)).toThrow();
});

function varint(value: number): number[] {
  const out: number[] = [];
  while (value > 0x7f) {
    out.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  out.push(value);
  return out;
}

test('values protobuf-es takes in other forms (numbers for int64, strings for int32) encode as it encodes them', () => {
  const codec = messageCodec(codecV1.ScalarsSchema);
  const odd = { $typeName: 'cqrs.codec.v1.Scalars', fInt64: 5, fInt32: '7', fUint64: '18446744073709551615', fBool: 1 } as unknown as Message;
  const withDefaults = Object.assign(fromBinary(codecV1.ScalarsSchema, new Uint8Array(0)), odd);
  expect(hex(codec.encode(withDefaults as never))).toBe(hex(toBinary(codecV1.ScalarsSchema, withDefaults as never)));
  const bad = Object.assign(fromBinary(codecV1.ScalarsSchema, new Uint8Array(0)), { fInt32: 1.5 });
  expect(() => toBinary(codecV1.ScalarsSchema, bad)).toThrow();
  expect(() => codec.encode(bad)).toThrow(ProtobufSerializeError);
});

test('codegen: false is protobuf-es itself, with the same errors typed', () => {
  const codec = messageCodec(codecV1.TreeSchema, { codegen: false });
  expect(codec.compiled).toBe(false);
  expect(codec.fallbackReason).toMatch(/codegen: false/);
  const random = new Random(3);
  for (let i = 0; i < 200; i += 1) {
    const message = randomMessage(random, codecV1.TreeSchema) as never;
    const bytes = codec.encode(message);
    expect(hex(bytes)).toBe(hex(toBinary(codecV1.TreeSchema, message)));
    expectSameShape(codec.decode(bytes), fromBinary(codecV1.TreeSchema, bytes));
  }
  expect(() => codec.decode(Uint8Array.of(0x12, 0x05))).toThrow(ProtobufWireError);
});

test('a frame prefix goes in front of the bytes, in the same array', () => {
  const codec = messageCodec(UserCreatedSchema);
  const message = randomMessage(new Random(1), UserCreatedSchema) as never;
  const prefix = Uint8Array.of(0, 0, 0, 0, 42, 0);
  const framed = codec.encodeWithPrefix(prefix, message);
  expect(hex(framed)).toBe(hex(prefix) + hex(toBinary(UserCreatedSchema, message)));
  expectSameShape(codec.decode(framed, prefix.length), fromBinary(UserCreatedSchema, toBinary(UserCreatedSchema, message)));
});
