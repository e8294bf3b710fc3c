/** The parts of an error that logs and headers use. */
export interface ErrorLike {
  readonly name: string;
  readonly message: string;
}

/**
 * True for anything shaped like an `Error`. `instanceof Error` is not enough: errors thrown by
 * Node internals (TextDecoder, crypto) in another realm, such as a jest or vm context, fail it.
 */
export function isErrorLike(value: unknown): value is ErrorLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<'name' | 'message', unknown>>;
  return typeof candidate.name === 'string' && typeof candidate.message === 'string';
}

/** `Name: message` for an error, `String(value)` for anything else thrown. */
export function errorSummary(error: unknown): string {
  return isErrorLike(error) ? `${error.name}: ${error.message}` : String(error);
}

/** The message of an error, `String(value)` for anything else thrown; works across realms. */
export function errorMessage(error: unknown): string {
  return isErrorLike(error) ? error.message : String(error);
}
