import type { DescField, DescMessage } from '@bufbuild/protobuf';
import { isWrapperDesc } from '@bufbuild/protobuf/wkt';

/** Every message type a message can contain, itself first. */
export function reachableMessages(root: DescMessage): DescMessage[] {
  const seen = new Set<DescMessage>([root]);
  const order = [root];
  for (let i = 0; i < order.length; i += 1) {
    for (const field of order[i]!.fields) {
      const child = field.message;
      if (child !== undefined && !seen.has(child)) {
        seen.add(child);
        order.push(child);
      }
    }
  }
  return order;
}

function unsupported(field: DescField): string | undefined {
  if (field.fieldKind !== 'message' && field.fieldKind !== 'list' && field.fieldKind !== 'map') return undefined;
  const child = field.message;
  if (child === undefined) return undefined;
  if (field.delimitedEncoding) return `${field.toString()} uses the delimited (group) encoding`;
  // protobuf-es gives these fields a local form that is not the message itself.
  if (field.fieldKind === 'message' && field.oneof === undefined && isWrapperDesc(child)) return `${field.toString()} is an unwrapped ${child.typeName}`;
  if (child.typeName === 'google.protobuf.Struct' && field.parent.typeName !== 'google.protobuf.Value') return `${field.toString()} is a google.protobuf.Struct held as JSON`;
  return undefined;
}

/**
 * Why the compiled codec can't handle `root` (groups, unwrapped wrapper fields, Struct fields
 * held as JSON anywhere inside it), or `undefined` when it can. Such types use protobuf-es.
 */
export function fallbackReason(root: DescMessage): string | undefined {
  for (const desc of reachableMessages(root)) {
    for (const field of desc.fields) {
      const reason = unsupported(field);
      if (reason !== undefined) return reason;
    }
  }
  return undefined;
}

/**
 * Why `root` can't be decoded straight to the plain data `toPlainObject` makes with its default
 * options, or `undefined` when it can: every type inside it must be one whose message and plain
 * data hold the same values (no oneofs, whose plain form names the member; no
 * `google.protobuf.*` types, which become dates, numbers or JSON; no maps of messages).
 */
export function plainDecodeReason(root: DescMessage): string | undefined {
  for (const desc of reachableMessages(root)) {
    if (desc.typeName.startsWith('google.protobuf.')) return `${desc.typeName} has a plain form of its own`;
    if (desc.oneofs.length > 0) return `${desc.typeName} has a oneof`;
    for (const field of desc.fields) {
      if (field.fieldKind === 'map' && field.mapKind === 'message') return `${field.toString()} is a map of messages`;
    }
  }
  return undefined;
}
