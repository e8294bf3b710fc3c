import { ScalarType, toJson, type DescEnum, type DescField, type DescMessage, type DescOneof, type Message } from '@bufbuild/protobuf';
import { ListValueSchema, StructSchema, TimestampSchema, ValueSchema, isWrapperDesc, timestampDate, type Duration, type Timestamp } from '@bufbuild/protobuf/wkt';
import { ProtobufMappingError } from '../errors/protobuf-errors';
import { resolvePlainMapping, type PlainMappingOptions, type ResolvedPlainMappingOptions } from './plain-mapping-options';
import { isLong } from '../codec/scalar-wire';

type Fields = Record<string, unknown>;
type Convert = (value: unknown) => unknown;
type ConvertMessage = (message: Fields) => Record<string, unknown>;

/** One member of a message: how it is read into the plain object. */
type Step = (message: Fields, out: Record<string, unknown>) => void;

/** Converters per options combination, each built once per message type. */
const caches = new Map<string, WeakMap<DescMessage, ConvertMessage>>();

interface Build {
  readonly options: ResolvedPlainMappingOptions;
  readonly cache: WeakMap<DescMessage, ConvertMessage>;
}

function converterOf(desc: DescMessage, build: Build): ConvertMessage {
  let convert = build.cache.get(desc);
  if (convert === undefined) {
    const steps: Step[] = [];
    convert = (message) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < steps.length; i += 1) (steps[i] as Step)(message, out);
      return out;
    };
    // Registered before the members are compiled, so a message that contains itself finds it.
    build.cache.set(desc, convert);
    for (const member of desc.members) steps.push(member.kind === 'oneof' ? oneofStep(member, build) : fieldStep(member, build));
  }
  return convert;
}

function fieldStep(field: DescField, build: Build): Step {
  const name = field.localName;
  const convert = fieldConverter(field, build);
  if (convert === undefined) return (message, out) => void (out[name] = message[name]);
  return (message, out) => void (out[name] = convert(message[name]));
}

function oneofStep(oneof: DescOneof, build: Build): Step {
  const byCase = new Map<string, Convert | undefined>(oneof.fields.map((field) => [field.localName, valueConverter(field, build)]));
  const name = oneof.localName;
  if (build.options.oneofs === 'case') {
    return (message, out) => {
      const selected = message[name] as { case: string | undefined; value?: unknown };
      if (selected.case === undefined) return;
      const convert = byCase.get(selected.case);
      out[name] = { case: selected.case, value: convert === undefined ? selected.value : convert(selected.value) };
    };
  }
  // As proto3 JSON and Python's MessageToDict: the member that is set, under its own name.
  return (message, out) => {
    const selected = message[name] as { case: string | undefined; value?: unknown };
    if (selected.case === undefined) return;
    const convert = byCase.get(selected.case);
    out[selected.case] = convert === undefined ? selected.value : convert(selected.value);
  };
}

/** The full name of a field, for errors. */
export function fieldName(field: DescField): string {
  return `${field.parent.typeName}.${field.name}`;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The int64 policy as a converter; `undefined` when the value stays as protobuf-es gives it. */
function scalarConverter(scalar: ScalarType, field: DescField, options: ResolvedPlainMappingOptions): Convert | undefined {
  if (!isLong(scalar) || options.int64 === 'bigint') return undefined;
  if (options.int64 === 'string') return (value) => String(value);
  return (value) => {
    const exact = typeof value === 'bigint' ? value : BigInt(value as string);
    if (exact > MAX_SAFE || exact < -MAX_SAFE) {
      throw new ProtobufMappingError(fieldName(field), `${exact} does not fit a JavaScript number exactly (beyond ±(2^53 - 1)); map int64 as 'bigint' or 'string'`);
    }
    return Number(exact);
  };
}

function enumConverter(desc: DescEnum, options: ResolvedPlainMappingOptions): Convert | undefined {
  if (options.enums === 'number') return undefined;
  // An open enum may carry a number the schema does not name: it stays a number.
  return (value) => desc.value[value as number]?.name ?? value;
}

const isMessageValue = (value: unknown, typeName: string): boolean => typeof value === 'object' && value !== null && (value as { $typeName?: unknown }).$typeName === typeName;

/** How one defined value of message type `desc` becomes plain data: well-known types first. */
function messageConverter(desc: DescMessage, field: DescField, build: Build): Convert {
  switch (desc.typeName) {
    case 'google.protobuf.Timestamp':
      return build.options.timestamps === 'date' ? (value) => timestampDate(value as Timestamp) : (value) => toJson(TimestampSchema, value as Timestamp);
    case 'google.protobuf.Duration':
      return (value) => Number((value as Duration).seconds) * 1_000 + (value as Duration).nanos / 1_000_000;
    case 'google.protobuf.Struct':
      // A singular Struct field is a JsonObject already; in a oneof, a list or a map it is a message.
      return (value) => (isMessageValue(value, desc.typeName) ? toJson(StructSchema, value as Message<'google.protobuf.Struct'> as never) : value);
    case 'google.protobuf.Value':
      return (value) => toJson(ValueSchema, value as never);
    case 'google.protobuf.ListValue':
      return (value) => toJson(ListValueSchema, value as never);
    default:
      break;
  }
  if (isWrapperDesc(desc)) {
    const inner = desc.fields[0] as DescField & { fieldKind: 'scalar' };
    const convert = scalarConverter(inner.scalar, field, build.options);
    // Unwrapped by protobuf-es in a singular field; a message in a oneof, a list or a map.
    return (value) => {
      const raw = isMessageValue(value, desc.typeName) ? (value as { value: unknown }).value : value;
      return convert === undefined ? raw : convert(raw);
    };
  }
  let nested: ConvertMessage | undefined;
  return (value) => (nested ??= converterOf(desc, build))(value as Fields);
}

/** How one defined value of the field's element type becomes plain data; `undefined`: as it is. */
function valueConverter(field: DescField, build: Build): Convert | undefined {
  switch (field.fieldKind) {
    case 'scalar':
      return scalarConverter(field.scalar, field, build.options);
    case 'enum':
      return enumConverter(field.enum, build.options);
    case 'message':
      return messageConverter(field.message, field, build);
    case 'list':
      if (field.listKind === 'scalar') return scalarConverter(field.scalar, field, build.options);
      if (field.listKind === 'enum') return enumConverter(field.enum, build.options);
      return messageConverter(field.message, field, build);
    case 'map':
      if (field.mapKind === 'scalar') return scalarConverter(field.scalar, field, build.options);
      if (field.mapKind === 'enum') return enumConverter(field.enum, build.options);
      return messageConverter(field.message, field, build);
  }
}

/** How a field's value becomes plain data; `undefined` when it is taken as it is. */
function fieldConverter(field: DescField, build: Build): Convert | undefined {
  const convert = valueConverter(field, build);
  switch (field.fieldKind) {
    case 'message': {
      const element = convert as Convert;
      // Wrappers are nullable scalars: unset is null, as Python's and pydantic's Optional.
      if (isWrapperDesc(field.message)) return (value) => (value === undefined ? null : element(value));
      return (value) => (value === undefined ? undefined : element(value));
    }
    case 'list':
      if (convert === undefined) return (value) => (value === undefined ? undefined : [...(value as unknown[])]);
      return (value) => (value === undefined ? undefined : (value as unknown[]).map(convert));
    case 'map':
      return (value) => {
        if (value === undefined) return undefined;
        if (convert === undefined) return { ...(value as Fields) };
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value as Fields)) out[key] = convert(item);
        return out;
      };
    default:
      return convert === undefined ? undefined : (value) => (value === undefined ? undefined : convert(value));
  }
}

function buildOf(options: PlainMappingOptions | undefined): Build {
  const { options: resolved, key } = resolvePlainMapping(options);
  let cache = caches.get(key);
  if (cache === undefined) {
    cache = new WeakMap();
    caches.set(key, cache);
  }
  return { options: resolved, cache };
}

const defaultBuild = buildOf(undefined);

/**
 * `toPlainObject` for one message type and options, compiled once: what a deserializer keeps
 * and calls per message.
 */
export function plainObjectConverter(desc: DescMessage, options?: PlainMappingOptions): (message: Message) => Record<string, unknown> {
  const convert = converterOf(desc, options === undefined ? defaultBuild : buildOf(options));
  return (message) => convert(message);
}

/**
 * A Protobuf message as plain data with the generated (camelCase) field names, which is what
 * `NotificationEvent.parse` and zod payload schemas with camelCase keys read: no `$typeName`,
 * no unknown fields, nested messages converted too. `event_id` becomes `eventId`.
 *
 * | Protobuf | plain data (default) | option |
 * |---|---|---|
 * | `google.protobuf.Timestamp` | `Date` (milliseconds) | `timestamps: 'string'`: RFC 3339, every digit |
 * | `google.protobuf.Duration` | milliseconds (`number`, fraction for below) | |
 * | wrappers (`StringValue`, `Int64Value`, ...) | the scalar, `null` when unset | |
 * | `Struct`, `Value`, `ListValue` | JSON (`object`, any JSON value, array) | |
 * | enums | numbers | `enums: 'name'` |
 * | 64-bit integers | `bigint` | `int64: 'string'` or `'number'` (throws beyond 2^53) |
 * | oneofs | the set member under its own name | `oneofs: 'case'`: `{ case, value }` |
 * | `bytes` | `Uint8Array` | |
 * | unset message fields | `undefined` | |
 *
 * ```ts
 * toPlainObject(OrderDetailsSchema, message, { enums: 'name', int64: 'string' });
 * // { orderId: 'o-1', amountMicros: '9007199254740993', status: 'ORDER_STATUS_PLACED', email: 'a@b.c', placedAt: Date, ... }
 * ```
 *
 * Throws `ProtobufMappingError` where an option cannot hold a value (an int64 as a `number`).
 */
export function toPlainObject<Desc extends DescMessage>(desc: Desc, message: Message, options?: PlainMappingOptions): Record<string, unknown> {
  return converterOf(desc, options === undefined ? defaultBuild : buildOf(options))(message);
}
