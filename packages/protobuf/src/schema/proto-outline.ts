import { fromBinary } from '@bufbuild/protobuf';
import { type DescriptorProto, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';

/** A message of a schema: its name and nested messages, in declaration order. */
export interface OutlineMessage {
  readonly name: string;
  readonly nested: readonly OutlineMessage[];
}

/**
 * The message tree of a registered Protobuf schema: enough to turn a Confluent message-index
 * path into a fully qualified type name, whatever form the registry stored the schema in.
 */
export interface ProtoOutline {
  readonly packageName: string;
  readonly messages: readonly OutlineMessage[];
}

function fromDescriptor(messages: readonly DescriptorProto[]): OutlineMessage[] {
  return messages
    .filter((message) => message.options?.mapEntry !== true)
    .map((message) => ({ name: message.name, nested: fromDescriptor(message.nestedType) }));
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Tokens of `.proto` text: comments and string literals dropped, braces and `;` kept. */
function tokens(text: string): string[] {
  const stripped = text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' "" ');
  return stripped.match(/[A-Za-z_][\w.]*|[{};=<>()[\],]|""|[^\s\w{};=<>()[\],"]+|\d+/g) ?? [];
}

function fromText(text: string): ProtoOutline {
  const list = tokens(text);
  let packageName = '';
  const root: { name: string; nested: OutlineMessage[] }[] = [{ name: '', nested: [] }];
  // Each open brace pushes the message it opens, or null for any other block.
  const stack: ({ name: string; nested: OutlineMessage[] } | null)[] = [root[0]!];
  for (let i = 0; i < list.length; i += 1) {
    const token = list[i]!;
    if (token === 'package' && stack.length === 1) {
      packageName = list[i + 1] ?? '';
    } else if (token === 'message' && list[i + 2] === '{') {
      const message = { name: list[i + 1]!, nested: [] as OutlineMessage[] };
      const parent = stack[stack.length - 1];
      if (parent !== null && parent !== undefined) parent.nested.push(message);
      stack.push(message);
      i += 2;
    } else if (token === '{') {
      stack.push(null);
    } else if (token === '}') {
      if (stack.length > 1) stack.pop();
    }
  }
  return { packageName, messages: root[0]!.nested };
}

/**
 * Reads a schema string as a registry returns it: `.proto` text (Confluent's and Apicurio's
 * usual form) or a base64 `FileDescriptorProto` (what Confluent's JavaScript and Python serdes
 * register). Returns `undefined` when it is neither.
 */
export function outlineOf(schema: string): ProtoOutline | undefined {
  const compact = schema.trim();
  if (compact.length > 0 && compact.length % 4 === 0 && BASE64.test(compact)) {
    try {
      const file = fromBinary(FileDescriptorProtoSchema, Buffer.from(compact, 'base64'));
      if (file.name !== '' || file.messageType.length > 0) return { packageName: file.package, messages: fromDescriptor(file.messageType) };
    } catch {
      // Not a descriptor: fall through to text.
    }
  }
  if (!/\bmessage\b/.test(schema)) return undefined;
  const outline = fromText(schema);
  return outline.messages.length === 0 ? undefined : outline;
}

/** The fully qualified type name at a message-index path, or `undefined` when out of range. */
export function typeNameAt(outline: ProtoOutline, indexes: readonly number[]): string | undefined {
  let siblings = outline.messages;
  const names: string[] = [];
  for (const index of indexes) {
    const message = siblings[index];
    if (message === undefined) return undefined;
    names.push(message.name);
    siblings = message.nested;
  }
  if (names.length === 0) return undefined;
  return outline.packageName === '' ? names.join('.') : `${outline.packageName}.${names.join('.')}`;
}
