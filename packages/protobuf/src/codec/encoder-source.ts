import { protoInt64, ScalarType, type DescField, type DescMessage } from '@bufbuild/protobuf';
import type { Constants } from './constants';
import type { FunctionNames } from './decoder-source';
import { isLong, scalarMethod, tagOf, wireTypeOf } from './scalar-wire';

// google.protobuf.FeatureSet.FieldPresence
const IMPLICIT = 2;
const LEGACY_REQUIRED = 3;

function writeTag(tag: number): string {
  return tag < 0x80 ? `w.tag1(${tag});` : `w.uint32(${tag});`;
}

function scalarWrite(scalar: ScalarType, value: string): string {
  const method = scalar === ScalarType.UINT32 ? 'uint32Value' : scalarMethod(scalar);
  return `w.${method}(${value});`;
}

/** protobuf-es's test for "not the zero value" of a field with implicit presence. */
function nonZero(field: DescField & { fieldKind: 'scalar' | 'enum' }, value: string): string {
  if (field.fieldKind === 'enum') return `${value} !== ${field.enum.values[0]!.number}`;
  switch (field.scalar) {
    case ScalarType.BOOL:
      return `${value} !== false`;
    case ScalarType.STRING:
      return `${value} !== ""`;
    case ScalarType.BYTES:
      return `(!(${value} instanceof Uint8Array) || ${value}.byteLength > 0)`;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return `!Object.is(${value}, 0)`;
    default:
      // Loose on purpose, as in protobuf-es: 0, 0n and "0" are all zero.
      return `${value} != 0`;
  }
}

function encoderOf(field: DescField, names: FunctionNames): string {
  return `e${names.get(field.message!)!}`;
}

function nested(encode: string, value: string): string {
  return `{ const f = w.fork(); ${encode}(w, ${value}); w.join(f); }`;
}

/** Map keys are object keys: back to the key type, as protobuf-es converts them before writing. */
function keyConversion(scalar: ScalarType, k: Constants): string {
  switch (scalar) {
    case ScalarType.STRING:
      return 'key';
    case ScalarType.BOOL:
      return `(key === "true" ? true : key === "false" ? false : key)`;
    default:
      if (!isLong(scalar)) return 'Number.parseInt(key)';
      return `${k.ref(scalar === ScalarType.UINT64 || scalar === ScalarType.FIXED64 ? parseKey(true) : parseKey(false))}(key)`;
  }
}

function parseKey(unsigned: boolean): (key: string) => unknown {
  return (key) => {
    try {
      return unsigned ? protoInt64.uParse(key) : protoInt64.parse(key);
    } catch {
      return key;
    }
  };
}

function fieldStatement(field: DescField, names: FunctionNames, k: Constants): string {
  const name = JSON.stringify(field.localName);
  const no = field.number;
  switch (field.fieldKind) {
    case 'scalar':
    case 'enum':
    case 'message': {
      let write: (value: string) => string;
      if (field.fieldKind === 'message') {
        const encode = encoderOf(field, names);
        write = (value) => `${writeTag(tagOf(no, 2))} ${nested(encode, value)}`;
      } else {
        const scalar = field.fieldKind === 'enum' ? ScalarType.INT32 : field.scalar;
        const method = field.fieldKind === 'enum' ? (value: string) => `w.enum(${value});` : (value: string) => scalarWrite(scalar, value);
        write = (value) => `${writeTag(tagOf(no, wireTypeOf(scalar)))} ${method(value)}`;
      }
      if (field.oneof !== undefined) return `v = m[${JSON.stringify(field.oneof.localName)}]; if (v.case === ${name}) { ${write('v.value')} }`;
      if (field.fieldKind === 'message' || (field.presence as number) !== IMPLICIT) {
        const missing = (field.presence as number) === LEGACY_REQUIRED ? ' else throw B;' : '';
        return `v = m[${name}]; if (v !== undefined && H.call(m, ${name})) { ${write('v')} }${missing}`;
      }
      return `v = m[${name}]; if (${nonZero(field, 'v')}) { ${write('v')} }`;
    }
    case 'list': {
      if (field.listKind === 'message') {
        return `v = m[${name}]; for (let i = 0; i < v.length; i++) { ${writeTag(tagOf(no, 2))} ${nested(encoderOf(field, names), 'v[i]')} }`;
      }
      const scalar = field.listKind === 'enum' ? ScalarType.INT32 : field.scalar;
      const item = field.listKind === 'enum' ? 'w.enum(v[i]);' : scalarWrite(scalar, 'v[i]');
      if (field.packed) {
        return `v = m[${name}]; if (v.length !== 0) { ${writeTag(tagOf(no, 2))} const f = w.fork(); for (let i = 0; i < v.length; i++) ${item} w.join(f); }`;
      }
      return `v = m[${name}]; for (let i = 0; i < v.length; i++) { ${writeTag(tagOf(no, wireTypeOf(scalar)))} ${item} }`;
    }
    case 'map': {
      const key = `${writeTag(tagOf(1, wireTypeOf(field.mapKey)))} ${scalarWrite(field.mapKey, keyConversion(field.mapKey, k))}`;
      let value: string;
      switch (field.mapKind) {
        case 'message':
          value = `${writeTag(tagOf(2, 2))} ${nested(encoderOf(field, names), 'v[key]')}`;
          break;
        case 'enum':
          value = `${writeTag(tagOf(2, 0))} w.enum(v[key]);`;
          break;
        case 'scalar':
          value = `${writeTag(tagOf(2, wireTypeOf(field.scalar)))} ${scalarWrite(field.scalar, 'v[key]')}`;
          break;
      }
      return `v = m[${name}]; { const keys = Object.keys(v); for (let i = 0; i < keys.length; i++) { const key = keys[i]; ${writeTag(tagOf(no, 2))} const f = w.fork(); ${key} ${value} w.join(f); } }`;
    }
  }
}

/**
 * Source of `e<i>(w, m)`: writes the fields of `m` in field-number order, then its unknown
 * fields, byte for byte what protobuf-es's `toBinary` writes.
 */
export function encoderSource(desc: DescMessage, names: FunctionNames, k: Constants): string {
  const fields = desc.fields.concat().sort((a, b) => a.number - b.number);
  const foreign = fields.length > 0 ? `if (m.$typeName !== ${JSON.stringify(desc.typeName)}) throw B;` : '';
  return `function e${names.get(desc)!}(w, m) {
  ${foreign}
  let v;
  ${fields.map((field) => fieldStatement(field, names, k)).join('\n  ')}
  v = m.$unknown; if (v !== undefined) w.unknown(v);
}`;
}
