import { redact, redactUrl } from '@cqrs/core';

/** `text` with every secret replaced by `***` and URL passwords removed. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = redactUrl(text);
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join('***');
  return out;
}

/**
 * A copy of `value` safe to log: secret-looking keys masked by core's `redact`, and the known
 * secrets removed from every string, however deep (kafkajs puts broker errors in free text).
 */
export function scrubValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  const redacted = depth === 0 ? redact(value) : value;
  if (typeof redacted === 'string') return scrubText(redacted, secrets);
  if (typeof redacted !== 'object' || redacted === null || depth > 5) return redacted;
  if (Array.isArray(redacted)) return redacted.map((item) => scrubValue(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(redacted)) out[key] = scrubValue(item, secrets, depth + 1);
  return out;
}
