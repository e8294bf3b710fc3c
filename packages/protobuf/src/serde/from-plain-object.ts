import { ScalarType, create, fromJson, type DescEnum, type DescField, type DescMessage, type JsonValue, type MessageShape } from '@bufbuild/protobuf';
import { DurationSchema, ListValueSchema, StructSchema, TimestampSchema, ValueSchema, isWrapperDesc, timestampFromDate, timestampFromMs } from '@bufbuild/protobuf/wkt';
import { ProtobufMappingError } from '../errors/protobuf-errors';
import { fieldName } from './to-plain-object';
import { isLong } from '../codec/scalar-wire';

type Fields = Record<string, unknown>;
type Convert = (value: unknown) => unknown;
type InitMessage = (data: Fields) => Record<string, unknown>;

/** Init builders per message type, built once. */
const builders = new WeakMap<DescMessage, InitMessage>();

const hasTypeName = (value: unknown): boolean => typeof value === 'object' && value !== null && '$typeName' in value;

function fail(field: DescField, message: string, cause?: unknown): never {
  throw new ProtobufMappingError(fieldName(field), message, cause === undefined ? {} : { cause });
}

function int64Of(field: DescField): Convert {
  const asString = (field as { longAsString?: boolean }).longAsString === true;
  return (value) => {
    let exact: bigint;
    if (typeof value === 'bigint') exact = value;
    else if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) fail(field, `${value} is not an integer a number holds exactly; pass a bigint or a decimal string`);
      exact = BigInt(value);
    } else if (typeof value === 'string') {
      try {
        exact = BigInt(value);
      } catch (error) {
        fail(field, `${JSON.stringify(value)} is not a decimal integer`, error);
      }
    } else fail(field, `expected a bigint, an integer or a decimal string, got ${typeof value}`);
    return asString ? exact.toString() : exact;
  };
}

function enumOf(desc: DescEnum, field: DescField): Convert {
  const byName = new Map(desc.values.map((value) => [value.name, value.number]));
  return (value) => {
    if (typeof value === 'number') return value;
    const number = typeof value === 'string' ? byName.get(value) : undefined;
    if (number === undefined) fail(field, `${JSON.stringify(value)} is not a value of ${desc.typeName}`);
    return number;
  };
}

/** Milliseconds (a fraction for below) as a Duration, both parts of one sign as the spec asks. */
function durationOfMs(ms: number): { seconds: bigint; nanos: number } {
  const seconds = Math.trunc(ms / 1_000);
  return { seconds: BigInt(seconds), nanos: Math.round((ms - seconds * 1_000) * 1_000_000) };
}

/**
 * How one value of message type `desc` becomes what `create` takes. `singular`: a singular
 * field outside a oneof, where protobuf-es holds wrappers unwrapped and Struct as a JsonObject.
 */
function messageOf(desc: DescMessage, field: DescField, singular: boolean): Convert {
  switch (desc.typeName) {
    case 'google.protobuf.Timestamp':
      return (value) => {
        if (value instanceof Date) return timestampFromDate(value);
        if (typeof value === 'string') return fromJson(TimestampSchema, value);
        if (typeof value === 'number') return timestampFromMs(value);
        return value;
      };
    case 'google.protobuf.Duration':
      return (value) => {
        if (typeof value === 'number') return durationOfMs(value);
        if (typeof value === 'string') return fromJson(DurationSchema, value);
        return value;
      };
    case 'google.protobuf.Struct':
      return (value) => (singular || hasTypeName(value) ? value : fromJson(StructSchema, value as JsonValue));
    case 'google.protobuf.Value':
      return (value) => (hasTypeName(value) ? value : fromJson(ValueSchema, (value ?? null) as JsonValue));
    case 'google.protobuf.ListValue':
      return (value) => (hasTypeName(value) ? value : fromJson(ListValueSchema, value as JsonValue));
    default:
      break;
  }
  if (isWrapperDesc(desc)) {
    const inner = desc.fields[0] as DescField & { fieldKind: 'scalar' };
    const convert = isLong(inner.scalar) ? int64Of(field) : undefined;
    return (value) => {
      if (hasTypeName(value)) return value;
      const scalar = convert === undefined ? value : convert(value);
      return singular ? scalar : { value: scalar };
    };
  }
  let nested: InitMessage | undefined;
  return (value) => (hasTypeName(value) ? value : (nested ??= builderOf(desc))(value as Fields));
}

function elementOf(field: DescField, singular: boolean): Convert | undefined {
  const kind = field.fieldKind === 'list' ? field.listKind : field.fieldKind === 'map' ? field.mapKind : field.fieldKind;
  if (kind === 'scalar') return isLong((field as { scalar: ScalarType }).scalar) ? int64Of(field) : undefined;
  if (kind === 'enum') return enumOf((field as { enum: DescEnum }).enum, field);
  return messageOf((field as { message: DescMessage }).message, field, singular);
}

/** The value of `field` in `data`, under its generated name or its `.proto` name. */
function read(data: Fields, field: DescField): unknown {
  const value = data[field.localName];
  return value === undefined && field.name !== field.localName ? data[field.name] : value;
}

function builderOf(desc: DescMessage): InitMessage {
  let build = builders.get(desc);
  if (build !== undefined) return build;
  const steps: ((data: Fields, init: Record<string, unknown>) => void)[] = [];
  build = (data) => {
    const init: Record<string, unknown> = {};
    for (const step of steps) step(data, init);
    return init;
  };
  builders.set(desc, build);
  for (const member of desc.members) {
    if (member.kind === 'field') {
      const convert = elementOf(member, true);
      const keepsNull = member.fieldKind === 'message' && member.message.typeName === 'google.protobuf.Value';
      const name = member.localName;
      steps.push((data, init) => {
        const value = read(data, member);
        if (value === undefined || (value === null && !keepsNull)) return;
        if (member.fieldKind === 'list') {
          if (!Array.isArray(value)) fail(member, `expected an array, got ${typeof value}`);
          init[name] = convert === undefined ? value : value.map(convert);
        } else if (member.fieldKind === 'map') {
          if (typeof value !== 'object') fail(member, `expected an object, got ${typeof value}`);
          if (convert === undefined) init[name] = value;
          else {
            const out: Record<string, unknown> = {};
            for (const [key, item] of Object.entries(value as Fields)) out[key] = convert(item);
            init[name] = out;
          }
        } else init[name] = convert === undefined ? value : convert(value);
      });
      continue;
    }
    const byCase = new Map(member.fields.map((field) => [field.localName, { field, convert: elementOf(field, false) }]));
    const name = member.localName;
    steps.push((data, init) => {
      const given = data[name];
      if (typeof given === 'object' && given !== null && 'case' in given) {
        // protobuf-es's own { case, value }.
        const selected = given as { case: string | undefined; value?: unknown };
        const entry = selected.case === undefined ? undefined : byCase.get(selected.case);
        if (entry !== undefined) init[name] = { case: selected.case, value: entry.convert === undefined ? selected.value : entry.convert(selected.value) };
        return;
      }
      let chosen: { field: DescField; value: unknown } | undefined;
      for (const { field } of byCase.values()) {
        const value = read(data, field);
        if (value === undefined || value === null) continue;
        if (chosen !== undefined) fail(field, `oneof ${member.name} has ${chosen.field.name} set already`);
        chosen = { field, value };
      }
      if (chosen === undefined) return;
      const convert = byCase.get(chosen.field.localName)?.convert;
      init[name] = { case: chosen.field.localName, value: convert === undefined ? chosen.value : convert(chosen.value) };
    });
  }
  return build;
}

/**
 * The reverse of `toPlainObject`: plain data (camelCase or `.proto` field names) as a message of
 * `desc`, for `proto()` implementations. Takes every form `toPlainObject` writes, whatever its
 * options: a `Date`, an RFC 3339 string or epoch milliseconds for a `Timestamp`; milliseconds or
 * `'1.5s'` for a `Duration`; a scalar or `null` for a wrapper; JSON for `Struct`/`Value`/
 * `ListValue`; an enum's number or name; a `bigint`, a safe integer or a decimal string for 64-bit
 * integers; a oneof as its member's own field or as `{ case, value }`. Keys it does not know are
 * ignored. Throws `ProtobufMappingError` naming the field for what it cannot map.
 *
 * ```ts
 * proto(): OrderPlaced {
 *   return fromPlainObject(OrderPlacedSchema, { eventId: this.eventId, eventTimestamp: this.eventTimestamp, eventName: this.eventName, payload: this.payload });
 * }
 * ```
 */
export function fromPlainObject<Desc extends DescMessage>(desc: Desc, data: Readonly<Record<string, unknown>>): MessageShape<Desc> {
  return create(desc, builderOf(desc)(data as Fields) as never);
}
