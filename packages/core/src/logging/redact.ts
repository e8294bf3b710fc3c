const SECRET_KEY = /pass(word)?|secret|token|authorization|credential|api[-_]?key|sasl/i;

/** Replaces the password in a URL (`amqp://user:pass@host`) with `***`. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@/]*@/, '$1***@');
}

/** A copy of `value` with secret-looking keys masked and URL passwords removed, for logs. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactUrl(value);
  if (typeof value !== 'object' || value === null || depth > 5) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item !== undefined && typeof item !== 'object' ? '***' : redact(item, depth + 1);
  }
  return out;
}
