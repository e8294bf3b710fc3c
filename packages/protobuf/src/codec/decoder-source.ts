import { create, ScalarType, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';
import type { Constants } from './constants';
import { isLong, scalarMethod, tagOf, wireTypeOf } from './scalar-wire';

/** Names of the generated functions: `d<i>` decodes, `e<i>` encodes the i-th reachable type (`p<i>` decodes it to plain data). */
export type FunctionNames = ReadonlyMap<DescMessage, number>;

/**
 * What a decoder builds: protobuf-es's message (`$typeName`, unknown fields in `$unknown`), or
 * the plain data `toPlainObject` with its default options would make of it (every field, in
 * declaration order, as an own property; no `$typeName`, unknown fields dropped). The plain
 * form is generated only for types `plainDecodeReason` accepts, where the two differ in nothing else.
 */
export type DecodedForm = 'message' | 'plain';

function scalarRead(scalar: ScalarType, utf8Validation: boolean, longAsString: boolean): string {
  if (scalar === ScalarType.STRING) return `r.string(${utf8Validation})`;
  const read = `r.${scalarMethod(scalar)}()`;
  return longAsString && isLong(scalar) ? `String(${read})` : read;
}

/** The decoded value of a field of enum or scalar kind. */
function valueRead(field: DescField): string {
  if (field.fieldKind === 'enum') return 'r.int32()';
  if (field.fieldKind === 'scalar') return scalarRead(field.scalar, field.utf8Validation, field.longAsString);
  throw new Error(`not a scalar field: ${field.toString()}`);
}

/** What follows `m = ` for a new message: the object literal `create(desc)` builds, or `Object.create` and the assignments on it. */
function emptyMessage(desc: DescMessage, k: Constants): string {
  const template = create(desc) as unknown as Record<string, unknown>;
  const prototype: unknown = Object.getPrototypeOf(template);
  const parts: string[] = [];
  for (const key of Object.keys(template)) {
    if (key === '$typeName') continue;
    const value = template[key];
    const member = desc.members.find((m) => m.localName === key);
    let expression: string;
    if (member?.kind === 'oneof') expression = '{ case: undefined }';
    else if (member?.fieldKind === 'list') expression = '[]';
    else if (member?.fieldKind === 'map') expression = '{}';
    else expression = k.literal(value);
    parts.push(`${JSON.stringify(key)}: ${expression}`);
  }
  if (prototype === Object.prototype) return `{ $typeName: ${JSON.stringify(desc.typeName)}${parts.map((p) => `, ${p}`).join('')} }`;
  const assignments = parts.map((p) => {
    const colon = p.indexOf(': ');
    return `m[${p.slice(0, colon)}] = ${p.slice(colon + 2)};`;
  });
  return `Object.create(${k.ref(prototype)}); m.$typeName = ${JSON.stringify(desc.typeName)}; ${assignments.join(' ')}`;
}

function closedEnumValues(desc: DescEnum, k: Constants): string {
  return k.ref(new Set(desc.values.map((v) => v.number)));
}

/** What `toPlainObject` makes of an unset message: each field's default, in declaration order. */
function emptyPlain(desc: DescMessage, k: Constants): string {
  const template = create(desc) as unknown as Record<string, unknown>;
  const parts = desc.fields.map((field) => {
    const key = JSON.stringify(field.localName);
    if (field.fieldKind === 'list') return `${key}: []`;
    if (field.fieldKind === 'map') return `${key}: {}`;
    // Proto2 defaults sit on the template's prototype: read through it, kept as own values.
    return `${key}: ${k.literal(template[field.localName])}`;
  });
  return `{ ${parts.join(', ')} }`;
}

function decoderOf(field: DescField, names: FunctionNames, form: DecodedForm): string {
  return `${form === 'plain' ? 'p' : 'd'}${names.get(field.message!)!}`;
}

/** What one field does with each wire type it accepts. */
function fieldReads(field: DescField, names: FunctionNames, k: Constants, form: DecodedForm): Array<readonly [number, string]> {
  const name = JSON.stringify(field.localName);
  const no = field.number;
  switch (field.fieldKind) {
    case 'scalar':
    case 'enum': {
      const wireType = field.fieldKind === 'enum' ? 0 : wireTypeOf(field.scalar);
      const store = field.oneof === undefined ? (v: string) => `m[${name}] = ${v};` : (v: string) => `m[${JSON.stringify(field.oneof!.localName)}] = { case: ${name}, value: ${v} };`;
      if (field.fieldKind === 'enum' && !field.enum.open) {
        // An unknown value of a closed enum is an unknown field: plain data drops it.
        const unknown = form === 'plain' ? '' : ` else U(m, ${no}, v);`;
        return [[wireType, `{ const v = r.int32(); if (${closedEnumValues(field.enum, k)}.has(v)) ${store('v')}${unknown} }`]];
      }
      return [[wireType, store(valueRead(field))]];
    }
    case 'message': {
      const decode = decoderOf(field, names, form);
      if (field.oneof === undefined) return [[2, `m[${name}] = ${decode}(r, r.delimited(), m[${name}]);`]];
      const oneof = JSON.stringify(field.oneof.localName);
      return [[2, `{ const o = m[${oneof}]; m[${oneof}] = { case: ${name}, value: ${decode}(r, r.delimited(), o.case === ${name} ? o.value : undefined) }; }`]];
    }
    case 'list': {
      if (field.listKind === 'message') return [[2, `m[${name}].push(${decoderOf(field, names, form)}(r, r.delimited(), undefined));`]];
      const scalar = field.listKind === 'enum' ? ScalarType.INT32 : field.scalar;
      const read = scalarRead(scalar, field.utf8Validation, field.listKind === 'scalar' && field.longAsString);
      const wireType = wireTypeOf(scalar);
      const one = [wireType, `m[${name}].push(${read});`] as const;
      if (wireType === 2) return [one];
      return [one, [2, `{ const e = r.delimited(); const a = m[${name}]; while (r.pos < e) a.push(${read}); r.endAt(e); }`]];
    }
    case 'map': {
      const keyTag = tagOf(1, wireTypeOf(field.mapKey));
      const readKey = scalarRead(field.mapKey, field.utf8Validation, false);
      const keyZero = field.mapKey === ScalarType.BOOL ? 'false' : field.mapKey === ScalarType.STRING ? '""' : '0';
      let valueTag: number;
      let readValue: string;
      let valueDefault: string;
      switch (field.mapKind) {
        case 'scalar':
          valueTag = tagOf(2, wireTypeOf(field.scalar));
          readValue = scalarRead(field.scalar, field.utf8Validation, false);
          valueDefault = field.scalar === ScalarType.BYTES ? 'new Uint8Array(0)' : k.literal(zeroOf(field.scalar));
          break;
        case 'enum':
          valueTag = tagOf(2, 0);
          readValue = 'r.int32()';
          valueDefault = String(field.enum.values[0]!.number);
          break;
        case 'message': {
          valueTag = tagOf(2, 2);
          readValue = `${decoderOf(field, names, form)}(r, r.delimited(), v)`;
          const child = field.message;
          valueDefault = `${k.ref(() => create(child))}()`;
          break;
        }
      }
      return [
        [2, `{ const e = r.delimited(); let k, v; while (r.pos < e) { const t = r.tag(); if (t === ${keyTag}) k = ${readKey}; else if (t === ${valueTag}) v = ${readValue}; else if (t >>> 3 === 1 || t >>> 3 === 2) W(r, t); else r.skip(t & 7, t >>> 3); } r.endAt(e); S(m[${name}], k === undefined ? ${keyZero} : k, v === undefined ? ${valueDefault} : v); }`],
      ];
    }
  }
}

/** The zero value of a scalar as protobuf-es's `scalarZeroValue(type, false)` gives it. */
function zeroOf(scalar: ScalarType): unknown {
  switch (scalar) {
    case ScalarType.STRING:
      return '';
    case ScalarType.BOOL:
      return false;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return 0;
    default:
      return isLong(scalar) ? 0n : 0;
  }
}

/**
 * Source of `d<i>(r, end, m)`: decodes the message between `r.pos` and `end` into `m` (a new
 * message when `undefined`, merging otherwise), the way protobuf-es's `fromBinary` does; or,
 * for the plain form, `p<i>` into plain data.
 */
export function decoderSource(desc: DescMessage, names: FunctionNames, k: Constants, form: DecodedForm = 'message'): string {
  // A switch on the field number (dense, so a jump table), then the wire type.
  const cases = desc.fields.map((field) => {
    const reads = fieldReads(field, names, k, form);
    const branches = reads.map(([wireType, read]) => `if (w === ${wireType}) ${read}`).join(' else ');
    return `case ${field.number}: { const w = t & 7; ${branches} else W(r, t); break; }`;
  });
  if (form === 'plain') {
    return `function p${names.get(desc)!}(r, end, m) {
  if (m === undefined) m = ${emptyPlain(desc, k)};
  r.enter(${JSON.stringify(desc.typeName)});
  while (r.pos < end) {
    const t = r.tag();
    switch (t >>> 3) {
      ${cases.join('\n      ')}
      default: r.skip(t & 7, t >>> 3);
    }
  }
  r.endAt(end);
  r.depth--;
  return m;
}`;
  }
  return `function d${names.get(desc)!}(r, end, m) {
  if (m === undefined) { m = ${emptyMessage(desc, k)}; }
  r.enter(${JSON.stringify(desc.typeName)});
  let u = m.$unknown;
  while (r.pos < end) {
    const t = r.tag();
    switch (t >>> 3) {
      ${cases.join('\n      ')}
      default: u = r.unknown(t, u);
    }
  }
  r.endAt(end);
  if (u !== undefined && u.length > 0) m.$unknown = u;
  r.depth--;
  return m;
}`;
}
