import { create, ScalarType, type DescField, type DescMessage, type Message } from '@bufbuild/protobuf';

/** A small seeded generator (mulberry32), so a failure names a seed that replays it. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(length: number): Uint8Array {
    return Uint8Array.from({ length }, () => this.int(256));
  }

  /** A uniformly random 64-bit pattern. */
  bits64(): bigint {
    return (BigInt(this.int(2 ** 32)) << 32n) | BigInt(this.int(2 ** 32));
  }
}

const INT32_EDGES = [0, 1, -1, 127, 128, 300, 16_384, 2 ** 31 - 1, -(2 ** 31)];
const UINT32_EDGES = [0, 1, 127, 128, 255, 2 ** 28, 2 ** 32 - 1];
const INT64_EDGES = [0n, 1n, -1n, 127n, 128n, 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 53n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n)];
const UINT64_EDGES = [0n, 1n, 128n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];
const DOUBLE_EDGES = [0, -0, NaN, Infinity, -Infinity, 1.5, -2.25, Number.MAX_VALUE, Number.MIN_VALUE, -1e-300, 2 ** 53];
const FLOAT_EDGES = [0, -0, NaN, Infinity, -Infinity, 1.5, 3.4028234663852886e38, 1.401298464324817e-45, -0.1];
const TEXT = ['', 'a', 'héllo wörld', '日本語テキスト', '😀 emoji', 'lone \uD800 high', 'lone \uDC00 low', 'end\uD83D', '\u0000nul', 'x'.repeat(200), 'ü'.repeat(70), '__proto__'];

function text(random: Random): string {
  if (random.chance(0.4)) return random.pick(TEXT);
  const length = random.chance(0.1) ? 100 + random.int(300) : random.int(40);
  let out = '';
  for (let i = 0; i < length; i += 1) out += random.chance(0.05) ? String.fromCharCode(0x80 + random.int(0xffff - 0x80)) : String.fromCharCode(0x20 + random.int(0x5f));
  return out;
}

function signed64(random: Random): bigint {
  if (random.chance(0.5)) return random.pick(INT64_EDGES);
  return random.chance(0.5) ? BigInt.asIntN(64, random.bits64()) : BigInt(random.int(2 ** 20) - 2 ** 19);
}

function unsigned64(random: Random): bigint {
  if (random.chance(0.5)) return random.pick(UINT64_EDGES);
  return random.chance(0.5) ? random.bits64() : BigInt(random.int(2 ** 20));
}

/** A random value of a scalar type, edge values often. */
export function scalarValue(random: Random, scalar: ScalarType, longAsString = false): unknown {
  switch (scalar) {
    case ScalarType.DOUBLE:
      return random.chance(0.5) ? random.pick(DOUBLE_EDGES) : (random.next() - 0.5) * 10 ** random.int(20);
    case ScalarType.FLOAT:
      return random.chance(0.5) ? random.pick(FLOAT_EDGES) : Math.fround((random.next() - 0.5) * 10 ** random.int(10));
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return random.chance(0.5) ? random.pick(INT32_EDGES) : random.int(2 ** 32) - 2 ** 31;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return random.chance(0.5) ? random.pick(UINT32_EDGES) : random.int(2 ** 32);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64: {
      const value = signed64(random);
      return longAsString ? String(value) : value;
    }
    case ScalarType.UINT64:
    case ScalarType.FIXED64: {
      const value = unsigned64(random);
      return longAsString ? String(value) : value;
    }
    case ScalarType.BOOL:
      return random.chance(0.5);
    case ScalarType.STRING:
      return text(random);
    case ScalarType.BYTES:
      return random.bytes(random.chance(0.05) ? 200 : random.int(12));
  }
}

function enumValue(random: Random, field: DescField & { enum: NonNullable<DescField['enum']> }): number {
  // Open enums keep unknown numbers; closed enums would move them to $unknown, so only known ones.
  if (field.enum.open && random.chance(0.2)) return random.pick([7, 99, -1, 2 ** 31 - 1]);
  return random.pick(field.enum.values).number;
}

function mapKey(random: Random, scalar: ScalarType): string {
  const value = scalarValue(random, scalar);
  if (scalar === ScalarType.STRING) return value as string;
  return String(value);
}

function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Options of `randomMessage`. */
export interface RandomOptions {
  /** How deep nested messages go. */
  readonly depth?: number;
  /** Add unknown fields (valid encodings) to some messages. */
  readonly unknown?: boolean;
}

/**
 * A random message of `desc`, built the way protobuf-es's `create` shapes it: fields with
 * explicit presence set or left on the prototype, oneofs as `{ case, value }`, maps as objects.
 */
export function randomMessage(random: Random, desc: DescMessage, options: RandomOptions = {}, level = 0): Message {
  const maxDepth = options.depth ?? 3;
  const message = create(desc) as unknown as Record<string, unknown>;
  // Fewer nested messages the deeper it goes: recursive types stay small.
  const child = (d: DescMessage): Message | undefined => (level < maxDepth && random.chance(1 / (1 + level)) ? randomMessage(random, d, options, level + 1) : undefined);
  for (const oneof of desc.oneofs) {
    if (random.chance(0.3)) continue;
    const field = random.pick(oneof.fields);
    let value: unknown;
    if (field.fieldKind === 'message') value = child(field.message);
    else if (field.fieldKind === 'enum') value = enumValue(random, field);
    else if (field.fieldKind === 'scalar') value = scalarValue(random, field.scalar, field.longAsString);
    if (value !== undefined) message[oneof.localName] = { case: field.localName, value };
  }
  for (const field of desc.fields) {
    if (field.oneof !== undefined) continue;
    const name = field.localName;
    switch (field.fieldKind) {
      case 'scalar':
      case 'enum': {
        const required = (field.presence as number) === 3;
        if (random.chance(required ? 0.02 : 0.35)) continue;
        message[name] = field.fieldKind === 'enum' ? enumValue(random, field) : scalarValue(random, field.scalar, field.longAsString);
        break;
      }
      case 'message': {
        if ((field.presence as number) !== 3 && random.chance(0.4)) continue;
        const value = child(field.message);
        if (value !== undefined) message[name] = value;
        break;
      }
      case 'list': {
        const count = random.chance(0.3) ? 0 : random.int(level === 0 ? 6 : 3);
        const items: unknown[] = [];
        for (let i = 0; i < count; i += 1) {
          if (field.listKind === 'message') {
            const value = child(field.message);
            if (value !== undefined) items.push(value);
          } else if (field.listKind === 'enum') items.push(enumValue(random, field));
          else items.push(scalarValue(random, field.scalar, field.longAsString));
        }
        message[name] = items;
        break;
      }
      case 'map': {
        const record: Record<string, unknown> = {};
        const count = random.chance(0.3) ? 0 : random.int(level === 0 ? 5 : 2);
        for (let i = 0; i < count; i += 1) {
          let value: unknown;
          if (field.mapKind === 'message') value = child(field.message) ?? create(field.message);
          else if (field.mapKind === 'enum') value = enumValue(random, field);
          else value = scalarValue(random, field.scalar);
          setOwn(record, mapKey(random, field.mapKey), value);
        }
        message[name] = record;
        break;
      }
    }
  }
  if (options.unknown === true && random.chance(0.2)) {
    message.$unknown = [
      { no: 9000 + random.int(100), wireType: 0, data: Uint8Array.of(random.int(128)) },
      { no: 9200, wireType: 2, data: Uint8Array.of(3, 1, 2, 3) },
      { no: 9300, wireType: 5, data: random.bytes(4) },
    ].slice(0, 1 + random.int(3));
  }
  return message as unknown as Message;
}
