/**
 * Freezes a plain object graph so event payloads cannot change after creation. The graph is
 * frozen in place (no copy). Objects that were already frozen are still walked, because
 * `Object.freeze` is shallow and their children may not be. Typed arrays cannot be frozen and
 * are left as they are.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) freezeGraph(value, new Set());
  return value;
}

function freezeGraph(value: object, seen: Set<object>): void {
  if (seen.has(value) || ArrayBuffer.isView(value)) return;
  seen.add(value);
  Object.freeze(value);
  for (const key of Object.keys(value)) {
    const child: unknown = (value as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null) freezeGraph(child, seen);
  }
}
