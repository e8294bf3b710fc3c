/**
 * How Protobuf values become plain data and back (`toPlainObject`, `fromPlainObject`,
 * `ProtobufValueDeserializer`'s `mapping`). Well-known types always map to their natural
 * JavaScript form: `Timestamp` ↔ `Date`, `Duration` ↔ milliseconds, wrappers ↔ a scalar or
 * `null`, `Struct`/`Value`/`ListValue` ↔ JSON.
 */
export interface PlainMappingOptions {
  /** Enum values as their number (`1`, the default) or their name in the `.proto` (`'ORDER_STATUS_PLACED'`). */
  readonly enums?: 'number' | 'name';
  /**
   * 64-bit integers (`int64`, `uint64`, `sint64`, `fixed64`, `sfixed64`, `Int64Value`,
   * `UInt64Value`): `bigint` (the default, exact), a decimal `string` (exact, what proto3 JSON
   * and Python's `MessageToDict` write), or a `number`, which throws `ProtobufMappingError` for a
   * value beyond ±2^53 rather than round it.
   */
  readonly int64?: 'bigint' | 'string' | 'number';
  /**
   * Oneofs as the set member under its own name (`{ email: 'a@b.c' }`, the default, as proto3
   * JSON and Python write them), or protobuf-es's `{ contact: { case: 'email', value: 'a@b.c' } }`.
   */
  readonly oneofs?: 'fields' | 'case';
  /**
   * `Timestamp` as a `Date` (the default; below the millisecond is dropped, a `Date` cannot hold
   * it) or as the RFC 3339 string proto3 JSON writes (`2026-12-01T08:08:00.835014Z`, every digit kept).
   */
  readonly timestamps?: 'date' | 'string';
}

/** The options with every default filled in. */
export type ResolvedPlainMappingOptions = Required<PlainMappingOptions>;

/** The defaults of `PlainMappingOptions`. */
export const plainMappingDefaults: ResolvedPlainMappingOptions = Object.freeze({ enums: 'number', int64: 'bigint', oneofs: 'fields', timestamps: 'date' });

/** `options` over the defaults, and a key that names the combination (converters are cached per key). */
export function resolvePlainMapping(options: PlainMappingOptions | undefined): { readonly options: ResolvedPlainMappingOptions; readonly key: string } {
  const resolved: ResolvedPlainMappingOptions = { ...plainMappingDefaults, ...stripUndefined(options) };
  return { options: resolved, key: `${resolved.enums}|${resolved.int64}|${resolved.oneofs}|${resolved.timestamps}` };
}

function stripUndefined(options: PlainMappingOptions | undefined): PlainMappingOptions {
  if (options === undefined) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  return out;
}
