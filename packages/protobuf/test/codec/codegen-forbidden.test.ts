import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { UserCreatedSchema } from '@cqrs/example-protos';

test('where new Function throws (a CSP without unsafe-eval), the codec is protobuf-es and still works', () => {
  const original = globalThis.Function;
  let forbidden: import('../../src/codec/message-codec').MessageCodec<typeof UserCreatedSchema> | undefined;
  // What a Content Security Policy does to `new Function`: an EvalError.
  globalThis.Function = function forbidden(): never {
    throw new EvalError('Code generation from strings disallowed for this context');
  } as unknown as FunctionConstructor;
  try {
    jest.isolateModules(() => {
      const fresh = jest.requireActual<typeof import('../../src/codec/message-codec')>('../../src/codec/message-codec');
      forbidden = fresh.messageCodec(UserCreatedSchema);
    });
  } finally {
    globalThis.Function = original;
  }
  if (forbidden === undefined) throw new Error('no codec');
  expect(forbidden.compiled).toBe(false);
  expect(forbidden.fallbackReason).toMatch(/forbidden/);
  const message = create(UserCreatedSchema, { eventId: 'e-1', payload: { userId: 'u', email: 'a@b.c', name: 'n' } });
  const bytes = forbidden.encode(message);
  expect(Buffer.from(bytes).equals(Buffer.from(toBinary(UserCreatedSchema, message)))).toBe(true);
  expect(forbidden.decode(bytes)).toEqual(fromBinary(UserCreatedSchema, bytes));
});
