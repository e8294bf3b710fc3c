import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { codecV1, UserCreatedSchema } from '@cqrs/example-protos';
import { messageCodec } from '../../src';

// Encoded values are views of a shared slab: each must keep its own bytes while later ones are
// written after it, across slabs, and around a message too big for one.
const user = (i: number) => create(UserCreatedSchema, { eventId: `id-${i}`, eventName: 'user_created', payload: { userId: `u-${i}`, email: `u${i}@example.com`, name: 'é'.repeat(i % 7) } });

test('thousands of encoded values keep their own bytes while the writer moves on, over many slabs', () => {
  const codec = messageCodec(UserCreatedSchema);
  const prefix = Uint8Array.of(0, 0, 0, 0, 7, 0);
  const values = Array.from({ length: 5000 }, (_, i) => (i % 2 === 0 ? codec.encode(user(i)) : codec.encodeWithPrefix(prefix, user(i))));
  values.forEach((value, i) => {
    const body = i % 2 === 0 ? value : value.subarray(prefix.length);
    if (i % 2 === 1) expect([...value.subarray(0, prefix.length)]).toEqual([...prefix]);
    expect(fromBinary(UserCreatedSchema, body)).toEqual(user(i));
  });
  // Views of more than one slab: the writer moved on to fresh ones as they filled.
  expect(new Set(values.map((value) => value.buffer)).size).toBeGreaterThan(1);
  expect(values.every((value) => Buffer.isBuffer(value))).toBe(true);
});

test('a message bigger than a slab is written whole, and the values around it keep their bytes', () => {
  const codec = messageCodec(codecV1.ScalarsSchema);
  const small = create(codecV1.ScalarsSchema, { fString: 'before' });
  const big = create(codecV1.ScalarsSchema, { fString: 'x'.repeat(200_000), fBytes: new Uint8Array(100_000).fill(7) });
  const after = create(codecV1.ScalarsSchema, { fString: 'after' });
  const first = codec.encode(small);
  const huge = codec.encode(big);
  const last = codec.encode(after);
  expect([...first]).toEqual([...toBinary(codecV1.ScalarsSchema, small)]);
  expect(Buffer.compare(Buffer.from(huge), Buffer.from(toBinary(codecV1.ScalarsSchema, big)))).toBe(0);
  expect([...last]).toEqual([...toBinary(codecV1.ScalarsSchema, after)]);
  // The big message's slab is left to it: the next value starts a new one.
  expect(last.buffer).not.toBe(huge.buffer);
});

test('messages with nested values longer than 127 bytes, written across slab ends, match toBinary', () => {
  const codec = messageCodec(UserCreatedSchema);
  // A payload of 150-400 bytes: its length takes two bytes, widened in place after the payload is written.
  const big = (i: number) => create(UserCreatedSchema, { eventId: `id-${i}`, eventName: 'user_created', payload: { userId: `u-${i}`, email: `u${i}@example.com`, name: 'n'.repeat(150 + (i % 250)) } });
  const values = Array.from({ length: 2000 }, (_, i) => codec.encode(big(i)));
  values.forEach((value, i) => expect(Buffer.compare(Buffer.from(value), Buffer.from(toBinary(UserCreatedSchema, big(i))))).toBe(0));
  expect(new Set(values.map((value) => value.buffer)).size).toBeGreaterThan(5);
});

test('a message that fails half-way leaves no bytes in the next one', () => {
  const codec = messageCodec(codecV1.ScalarsSchema);
  // A number where an int64 belongs: the compiled encoder bails out and protobuf-es encodes it.
  const odd = create(codecV1.ScalarsSchema, { fString: 'partial', fInt64: 5n });
  (odd as unknown as { fInt64: unknown }).fInt64 = 5;
  const oddBytes = codec.encode(odd);
  const next = create(codecV1.ScalarsSchema, { fString: 'next' });
  expect([...codec.encode(next)]).toEqual([...toBinary(codecV1.ScalarsSchema, next)]);
  expect(fromBinary(codecV1.ScalarsSchema, oddBytes).fString).toBe('partial');
});
