import type { DescField, DescMessage, DescOneof, Message } from '@bufbuild/protobuf';

type Fields = Record<string, unknown>;
type Convert = (value: unknown) => unknown;
type ConvertMessage = (message: Fields) => Record<string, unknown>;

/** One member of a message: its property name and how its value is converted (absent: as is). */
interface Step {
  readonly name: string;
  readonly convert: Convert | undefined;
  /** Oneofs are left out while no case is set. */
  readonly oneof: boolean;
}

/** The converter of each message type, built on first use: the descriptor is walked once, not per message. */
const converters = new WeakMap<DescMessage, ConvertMessage>();

function converterOf(desc: DescMessage): ConvertMessage {
  let convert = converters.get(desc);
  if (convert === undefined) {
    const steps: Step[] = [];
    convert = (message) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < steps.length; i += 1) {
        const step = steps[i] as Step;
        const value = message[step.name];
        if (step.oneof) {
          if ((value as { case: string | undefined }).case !== undefined) out[step.name] = (step.convert as Convert)(value);
        } else {
          out[step.name] = step.convert === undefined ? value : step.convert(value);
        }
      }
      return out;
    };
    // Registered before the members are compiled, so a message that contains itself finds it.
    converters.set(desc, convert);
    for (const member of desc.members) {
      steps.push(member.kind === 'oneof' ? { name: member.localName, convert: oneofConverter(member), oneof: true } : { name: member.localName, convert: fieldConverter(member), oneof: false });
    }
  }
  return convert;
}

function oneofConverter(oneof: DescOneof): Convert {
  const byCase = new Map<string, Convert | undefined>(oneof.fields.map((field) => [field.localName, fieldConverter(field)]));
  return (value) => {
    const selected = value as { case: string; value?: unknown };
    const convert = byCase.get(selected.case);
    return { case: selected.case, value: convert === undefined ? selected.value : convert(selected.value) };
  };
}

/** The converter of a nested message type, looked up on first use (it may be the one being built). */
function lazyConverter(desc: DescMessage): () => ConvertMessage {
  let convert: ConvertMessage | undefined;
  return () => (convert ??= converterOf(desc));
}

/** How a field's value becomes plain data; `undefined` when it is taken as it is (scalars, enums). */
function fieldConverter(field: DescField): Convert | undefined {
  switch (field.fieldKind) {
    case 'message': {
      const nested = lazyConverter(field.message);
      return (value) => (value === undefined ? undefined : nested()(value as Fields));
    }
    case 'list': {
      if (field.listKind !== 'message') return (value) => (value === undefined ? undefined : [...(value as unknown[])]);
      const nested = lazyConverter(field.message);
      return (value) => (value === undefined ? undefined : (value as Fields[]).map(nested()));
    }
    case 'map': {
      if (field.mapKind !== 'message') return (value) => (value === undefined ? undefined : { ...(value as Fields) });
      const nested = lazyConverter(field.message);
      return (value) => {
        if (value === undefined) return undefined;
        const convert = nested();
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(value as Record<string, Fields>)) out[key] = convert(item);
        return out;
      };
    }
    default:
      return undefined;
  }
}

/**
 * A Protobuf message as a plain object with the generated (camelCase) field names: no
 * `$typeName`, no unknown fields, nested messages converted too, int64 as `bigint`, enums as
 * numbers, oneofs as `{ case, value }`. `event_id` becomes `eventId`, which is what
 * `NotificationEvent.parse` and zod payload schemas with camelCase keys read.
 */
export function toPlainObject<Desc extends DescMessage>(desc: Desc, message: Message): Record<string, unknown> {
  return converterOf(desc)(message);
}
