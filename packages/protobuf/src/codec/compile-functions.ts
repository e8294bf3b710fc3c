import type { DescMessage } from '@bufbuild/protobuf';
import { Constants } from './constants';
import { reachableMessages } from './coverage';
import { decoderSource } from './decoder-source';
import { encoderSource } from './encoder-source';
import type { GeneratedDecoder } from './run-decoder';
import type { UnknownField, WireReader } from './wire-reader';
import { BAIL, type WireWriter } from './wire-writer';

/** The compiled pair for one root type. */
export interface CompiledFunctions {
  /** Decodes the message between `reader.pos` and `end`. */
  readonly decode: GeneratedDecoder;
  /** Writes the message; throws `BAIL` for a value only protobuf-es knows how to take. */
  readonly encode: (writer: WireWriter, message: unknown) => void;
  /** The generated source, for debugging. */
  readonly source: string;
}

/** What protobuf-es does with a closed enum's unknown value: kept as an unknown varint field. */
function closedEnumUnknown(message: { $unknown?: UnknownField[] }, no: number, value: number): void {
  const bytes: number[] = [];
  let rest = value;
  if (rest >>> 0 < 0x80) bytes.push(rest);
  else if (rest >= 0) {
    while (rest > 0x7f) {
      bytes.push((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    bytes.push(rest);
  } else {
    for (let i = 0; i < 9; i += 1) {
      bytes.push((rest & 0x7f) | 0x80);
      rest >>= 7;
    }
    bytes.push(1);
  }
  // A new array when there was none, as in protobuf-es: the message loop's own list of
  // unknown fields replaces it if it has any.
  const unknown = message.$unknown ?? [];
  unknown.push({ no, wireType: 0, data: new Uint8Array(bytes) });
  message.$unknown = unknown;
}

/** protobuf-es's `setOwn`: `__proto__` is a map key like any other. */
function setOwn(record: Record<string, unknown>, key: PropertyKey, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key as string] = value;
}

function wrongWireType(reader: WireReader, tag: number): never {
  reader.fail('wrong-wire-type', `field ${tag >>> 3} has wire type ${tag & 7}, which its declared type never uses`);
}

/**
 * Generates, with `new Function`, one module of functions for `root` and every message type
 * inside it (`sourcesOf` gives each type's), whose functions call each other directly
 * (recursive types too), and returns what `result` names. Throws when the environment forbids
 * code generation (a CSP without `unsafe-eval`).
 */
function generate<T>(root: DescMessage, sourcesOf: (desc: DescMessage, names: ReadonlyMap<DescMessage, number>, k: Constants) => string[], result: string): { readonly functions: T; readonly source: string } {
  const types = reachableMessages(root);
  const names = new Map(types.map((desc, index) => [desc, index]));
  const k = new Constants();
  const source = `"use strict";\n${types.flatMap((desc) => sourcesOf(desc, names, k)).join('\n')}\nreturn ${result};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point of the codec
  const factory = new Function('K', 'H', 'B', 'U', 'S', 'W', source) as (...args: unknown[]) => T;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- generated code calls it with .call
  const functions = factory(k.values, Object.prototype.hasOwnProperty, BAIL, closedEnumUnknown, setOwn, wrongWireType);
  return { functions, source };
}

/** The decoder and encoder of `root` and of every message type inside it. */
export function compileFunctions(root: DescMessage): CompiledFunctions {
  const { functions, source } = generate<Omit<CompiledFunctions, 'source'>>(root, (desc, names, k) => [decoderSource(desc, names, k), encoderSource(desc, names, k)], '{ decode: d0, encode: e0 }');
  return { ...functions, source };
}

/**
 * The plain-data decoder of `root` (`p<i>` functions, see `DecodedForm`): the plain data
 * `toPlainObject` makes, built straight from the bytes. Only for types `plainDecodeReason` accepts.
 */
export function compilePlainDecoder(root: DescMessage): { readonly decode: GeneratedDecoder; readonly source: string } {
  const { functions, source } = generate<GeneratedDecoder>(root, (desc, names, k) => [decoderSource(desc, names, k, 'plain')], 'p0');
  return { decode: functions, source };
}

let codegenAvailable: boolean | undefined;

/** False where `new Function` is forbidden (an `EvalError` under a Content Security Policy). */
export function isCodegenAvailable(): boolean {
  if (codegenAvailable === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- probing is the point
      codegenAvailable = (new Function('return 1') as () => unknown)() === 1;
    } catch {
      codegenAvailable = false;
    }
  }
  return codegenAvailable;
}
