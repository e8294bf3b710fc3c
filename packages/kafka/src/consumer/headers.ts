import type { IHeaders } from 'kafkajs';

/**
 * Kafka headers as the string map handlers see. Byte values are read as UTF-8; of a name
 * that occurs several times, the last value wins (as Java's `lastHeader`).
 */
export function headersToRecord(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  for (const name in headers) {
    const value = headers[name];
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name] = typeof last === 'string' ? last : last.toString('utf8');
  }
  return out;
}
