import type { IHeaders } from 'kafkajs';

/**
 * Remembers the last bytes and text of each header name, so a value that repeats from record
 * to record (content type, message type, message name) is compared, not decoded again.
 */
export class HeaderTextCache {
  readonly #bytes = new Map<string, Buffer>();
  readonly #text = new Map<string, string>();

  /** The UTF-8 text of `value`, header `name`. */
  text(name: string, value: Buffer): string {
    const previous = this.#bytes.get(name);
    if (previous !== undefined && sameBytes(previous, value)) return this.#text.get(name) as string;
    const text = value.toString();
    this.#bytes.set(name, value);
    this.#text.set(name, text);
    return text;
  }
}

// Header values are tens of bytes: a loop answers before a native call would have started.
function sameBytes(a: Buffer, b: Buffer): boolean {
  const length = a.length;
  if (length !== b.length) return false;
  for (let i = 0; i < length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Kafka headers as the string map handlers see. Byte values are read as UTF-8; of a name
 * that occurs several times, the last value wins (as Java's `lastHeader`); a name whose value is
 * null is left out. With a `cache`
 * (one per batch), values equal to the previous record's are not decoded again.
 */
export function headersToRecord(headers: IHeaders | undefined, cache?: HeaderTextCache): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  for (const name in headers) {
    const value = headers[name];
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    // A null value is legal in Kafka and has no text: the name is left out, as an absent header.
    if (last === undefined || last === null) continue;
    if (typeof last === 'string') out[name] = last;
    else out[name] = cache === undefined ? last.toString('utf8') : cache.text(name, last);
  }
  return out;
}
