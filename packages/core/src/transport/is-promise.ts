/** Whether a maybe-async result is a promise (any thenable): hot paths await only those. */
export function isPromise<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
