/** Hex digit values by char code, -1 for anything else. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i += 1) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i += 1) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

function hexAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (HEX[code] as number) : -1;
}

const NIL = '00000000-0000-0000-0000-000000000000';
const MAX = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * True for what `z.uuid()` accepts: 36 characters `8-4-4-4-12` of hex digits, either case, with
 * an RFC 9562 version 1-8 and variant 8-b; or the nil or the max UUID. Checked by character
 * code, about twice as fast as that regular expression, on every consumed event's id.
 */
export function isUuid(text: string): boolean {
  if (text.length !== 36) return false;
  for (let i = 0; i < 36; i += 1) {
    const hyphen = i === 8 || i === 13 || i === 18 || i === 23;
    if (hyphen ? text.charCodeAt(i) !== 0x2d : hexAt(text, i) < 0) return false;
  }
  const version = hexAt(text, 14);
  const variant = hexAt(text, 19);
  return (version >= 1 && version <= 8 && variant >= 8 && variant <= 11) || text === NIL || text === MAX;
}

/** True for 32 hex digits: a UUID as Python's `uuid.hex` and python-cqrs 5.x write it. */
export function isBareHex(text: string): boolean {
  if (text.length !== 32) return false;
  for (let i = 0; i < 32; i += 1) if (hexAt(text, i) < 0) return false;
  return true;
}
