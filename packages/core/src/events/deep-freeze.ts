/**
 * Freezes a plain object graph so event payloads cannot change after creation. The graph is
 * frozen in place (no copy). Objects that were already frozen are still walked, because
 * `Object.freeze` is shallow and their children may not be. Typed arrays cannot be frozen and
 * are left as they are.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) freezeGraph(value, {});
  return value;
}

/** Objects met already frozen; only those can close a cycle, so the set is made lazily. */
interface Walk {
  seen?: Set<object>;
}

function freezeGraph(value: object, walk: Walk): void {
  if (ArrayBuffer.isView(value)) return;
  if (Object.isFrozen(value)) {
    walk.seen ??= new Set();
    if (walk.seen.has(value)) return;
    walk.seen.add(value);
  } else {
    // Frozen before its children are walked: a cycle back to it lands in the branch above.
    Object.freeze(value);
  }
  for (const key of Object.keys(value)) {
    const child: unknown = (value as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null) freezeGraph(child, walk);
  }
}
