/**
 * Confluent's wire format for Protobuf values: magic byte 0, the schema id as 4 bytes
 * big-endian, the message indexes as zig-zag varints, then the Protobuf bytes. Java, Python and
 * Go serdes write and read the same frame.
 */

/** First byte of every framed value. */
export const MAGIC_BYTE = 0;

/** Magic byte, schema id and at least one message-index byte. */
export const MIN_FRAME_LENGTH = 6;

/** Where the Protobuf bytes of a frame start and what its header says. */
export interface FrameHeader {
  readonly schemaId: number;
  /** Path of the message in its file: top-level index, then nested indexes. */
  readonly messageIndexes: readonly number[];
  /** Offset of the Protobuf bytes. */
  readonly bodyOffset: number;
}

/** Why a frame header could not be read; the deserializer turns it into an error value. */
export interface FrameProblem {
  readonly problem: string;
}

const FIRST_MESSAGE = [0] as const;

function zigZag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

function pushVarint(out: number[], value: number): void {
  let rest = value >>> 0;
  while (rest > 0x7f) {
    out.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  out.push(rest);
}

/**
 * The message-index bytes for a message path. `[0]` (the first message of the file, by far the
 * most common) is the single byte 0; otherwise the count, then each index, all zig-zag varints.
 */
export function encodeMessageIndexes(indexes: readonly number[]): Uint8Array {
  if (indexes.length === 1 && indexes[0] === 0) return Uint8Array.of(0);
  const out: number[] = [];
  pushVarint(out, zigZag(indexes.length));
  for (const index of indexes) pushVarint(out, zigZag(index));
  return Uint8Array.from(out);
}

/** The bytes before the Protobuf body: computed once per schema, reused for every message. */
export function encodeFramePrefix(schemaId: number, indexes: readonly number[]): Uint8Array {
  const indexBytes = encodeMessageIndexes(indexes);
  const prefix = new Uint8Array(5 + indexBytes.length);
  prefix[0] = MAGIC_BYTE;
  new DataView(prefix.buffer).setUint32(1, schemaId >>> 0, false);
  prefix.set(indexBytes, 5);
  return prefix;
}

/** Reads one zig-zag varint at `offset`; `undefined` when it runs past the end or past 32 bits. */
function readZigZag(data: Uint8Array, offset: number): { value: number; next: number } | undefined {
  let result = 0;
  for (let shift = 0, at = offset; shift < 35; shift += 7, at += 1) {
    if (at >= data.length) return undefined;
    const byte = data[at]!;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) {
      const value = result % 2 === 0 ? result / 2 : -(result + 1) / 2;
      return { value, next: at + 1 };
    }
  }
  return undefined;
}

/** Most message-index arrays are one or two long; more than this is a corrupt header. */
const MAX_INDEX_DEPTH = 64;

function describeByte(byte: number): string {
  const hex = `0x${byte.toString(16).padStart(2, '0')}`;
  if (byte === 0x7b || byte === 0x5b) return `${hex} ('${String.fromCharCode(byte)}'): this looks like JSON, not a Confluent-framed Protobuf value`;
  return hex;
}

/** Parses the header of a framed value, or says what is wrong with it. Never throws. */
export function readFrameHeader(data: Uint8Array): FrameHeader | FrameProblem {
  if (data.length < MIN_FRAME_LENGTH) {
    return { problem: `value too short for the Confluent wire format: ${data.length} byte(s), need at least ${MIN_FRAME_LENGTH}` };
  }
  if (data[0] !== MAGIC_BYTE) return { problem: `unknown magic byte ${describeByte(data[0]!)}; expected 0x00` };
  const schemaId = ((data[1]! << 24) | (data[2]! << 16) | (data[3]! << 8) | data[4]!) >>> 0;
  // Shortcut: a single 0 byte stands for the indexes [0].
  if (data[5] === 0) return { schemaId, messageIndexes: FIRST_MESSAGE, bodyOffset: 6 };
  const count = readZigZag(data, 5);
  if (count === undefined) return { problem: 'truncated or malformed message-index count varint' };
  if (count.value < 0 || count.value > MAX_INDEX_DEPTH) return { problem: `invalid message-index count ${count.value}` };
  const messageIndexes: number[] = [];
  let offset = count.next;
  for (let i = 0; i < count.value; i += 1) {
    const index = readZigZag(data, offset);
    if (index === undefined) return { problem: `truncated or malformed message-index varint ${i + 1} of ${count.value}` };
    if (index.value < 0) return { problem: `invalid negative message index ${index.value}` };
    messageIndexes.push(index.value);
    offset = index.next;
  }
  return { schemaId, messageIndexes, bodyOffset: offset };
}

/** True when `readFrameHeader` failed. */
export function isFrameProblem(value: FrameHeader | FrameProblem): value is FrameProblem {
  return 'problem' in value;
}
