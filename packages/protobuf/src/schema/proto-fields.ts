import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { printProto } from './print-proto';

/** A field as `.proto` text declares it. */
export interface ProtoFieldShape {
  readonly name: string;
  readonly type: string;
  readonly repeated: boolean;
}

/** Fields of every message of a schema, keyed by the message's path (`Outer.Inner`), then number. */
export type ProtoFieldMap = ReadonlyMap<string, ReadonlyMap<number, ProtoFieldShape>>;

/** `.proto` text of a schema string that may be a base64 descriptor instead. */
function asText(schema: string): string {
  const compact = schema.trim();
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 === 0) {
    try {
      return printProto(fromBinary(FileDescriptorProtoSchema, Buffer.from(compact, 'base64')));
    } catch {
      // Not a descriptor after all.
    }
  }
  return schema;
}

function shortType(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1);
}

/**
 * The fields of each message of a schema: a light reading of `.proto` text (or a base64
 * descriptor) for the in-memory registry's compatibility check. Not a full parser: options and
 * extensions are skipped, type names are compared by their last segment.
 */
export function protoFields(schema: string): ProtoFieldMap {
  const text = asText(schema)
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const list = text.match(/map\s*<[^>]*>|[A-Za-z_.][\w.]*|\d+|[{};=[\]]/g) ?? [];
  const out = new Map<string, Map<number, ProtoFieldShape>>();
  const stack: (string | null)[] = [];
  const path = (): string => stack.filter((part): part is string => part !== null).join('.');
  for (let i = 0; i < list.length; i += 1) {
    const token = list[i]!;
    if (token === 'message' && list[i + 2] === '{') {
      stack.push(list[i + 1]!);
      out.set(path(), new Map());
      i += 2;
    } else if (token === '{') {
      stack.push(null);
    } else if (token === '}') {
      stack.pop();
    } else if (token === '=' && /^\d+$/.test(list[i + 1] ?? '')) {
      // `[label] type name = number`, also inside a oneof; enum values have no type token.
      const messagePath = path();
      const name = list[i - 1] ?? '';
      const type = (list[i - 2] ?? '').replace(/\s+/g, '');
      if (messagePath === '' || !/^[A-Za-z_.]/.test(type) || type === 'oneof') continue;
      const repeated = list[i - 3] === 'repeated' || type.startsWith('map<');
      out.get(messagePath)?.set(Number(list[i + 1]), { name, type: type.startsWith('map<') ? type : shortType(type), repeated });
    }
  }
  return out;
}

/**
 * Why `candidate` may not follow `previous` on the same subject: a message that disappeared or
 * a field number whose type or cardinality changed. Empty when compatible. Message paths are
 * relative to the package, so `cqrs.example.v1.UserCreated` and `cqrs.example.v2.UserCreated`
 * compare field by field.
 */
export function incompatibilities(previous: string, candidate: string): string[] {
  const before = protoFields(previous);
  const after = protoFields(candidate);
  const problems: string[] = [];
  for (const [message, fields] of before) {
    const next = after.get(message);
    if (next === undefined) {
      problems.push(`message ${message} was removed`);
      continue;
    }
    for (const [number, field] of fields) {
      const now = next.get(number);
      if (now === undefined) continue; // a removed field reads as unknown; fine on the wire
      if (now.type !== field.type) problems.push(`${message}: field ${number} (${field.name}) changed type from ${field.type} to ${now.type}`);
      else if (now.repeated !== field.repeated) problems.push(`${message}: field ${number} (${field.name}) changed between singular and repeated`);
    }
  }
  return problems;
}
