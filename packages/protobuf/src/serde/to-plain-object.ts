import type { DescField, DescMessage, Message } from '@bufbuild/protobuf';

type Fields = Record<string, unknown>;

function convertMessage(desc: DescMessage, message: Fields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of desc.members) {
    const value = message[member.localName];
    if (member.kind === 'oneof') {
      const selected = value as { case: string | undefined; value?: unknown };
      if (selected.case === undefined) continue;
      const field = member.fields.find((candidate) => candidate.localName === selected.case);
      out[member.localName] = { case: selected.case, value: field === undefined ? selected.value : convertField(field, selected.value) };
      continue;
    }
    out[member.localName] = convertField(member, value);
  }
  return out;
}

function convertField(field: DescField, value: unknown): unknown {
  if (value === undefined) return undefined;
  switch (field.fieldKind) {
    case 'message':
      return convertMessage(field.message, value as Fields);
    case 'list':
      return field.listKind === 'message' ? (value as Fields[]).map((item) => convertMessage(field.message, item)) : [...(value as unknown[])];
    case 'map': {
      if (field.mapKind !== 'message') return { ...(value as Fields) };
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, Fields>)) out[key] = convertMessage(field.message, item);
      return out;
    }
    default:
      return value;
  }
}

/**
 * A Protobuf message as a plain object with the generated (camelCase) field names: no
 * `$typeName`, no unknown fields, nested messages converted too, int64 as `bigint`, enums as
 * numbers, oneofs as `{ case, value }`. `event_id` becomes `eventId`, which is what
 * `NotificationEvent.parse` and zod payload schemas with camelCase keys read.
 */
export function toPlainObject<Desc extends DescMessage>(desc: Desc, message: Message): Record<string, unknown> {
  return convertMessage(desc, message);
}
