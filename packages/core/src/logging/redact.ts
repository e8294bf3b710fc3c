import { errorSummary, isErrorLike } from '../errors/error-like';

const SECRET_KEY = /pass(word)?|secret|token|authorization|credential|api[-_]?key|sasl/i;
// scheme://user:password@host: the userinfo ends at the last '@' before the path, so a
// password holding a raw '@' is masked whole; the user part may be empty (redis://:pw@host).
const URL_PASSWORD = /(\/\/[^:/?#@\s]*:)[^/?#\s]*@/g;
const MAX_DEPTH = 6;

/** Replaces the password of every URL in `text` (`amqp://user:pass@host`) with `***`. */
export function redactUrl(text: string): string {
  return text.replace(URL_PASSWORD, '$1***@');
}

/**
 * A copy of `value` fit for logs: values under secret-looking keys (password, token, sasl,
 * apiKey, ...) become `***` unless they are plain objects (then their own keys are checked),
 * URL passwords are removed from strings, byte arrays are reduced to their length, and
 * anything nested too deep is dropped rather than logged unchecked.
 */
export function redact(value: unknown): unknown {
  return redactAt(value, 0);
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function redactAt(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactUrl(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => redactAt(item, depth + 1));
  // Errors (from any realm) log as `Name: message`; a plain object with those keys stays an object.
  if (isErrorLike(value) && !isPlainObject(value)) return redactUrl(errorSummary(value));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const secret = SECRET_KEY.test(key) && item !== undefined && item !== null;
    out[key] = secret && !(typeof item === 'object' && isPlainObject(item as object)) ? '***' : redactAt(item, depth + 1);
  }
  return out;
}
