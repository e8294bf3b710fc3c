/** Resolves `true` once every promise settled, or `false` after `ms`, whichever comes first. */
export async function settledWithin(work: Iterable<Promise<unknown>>, ms: number): Promise<boolean> {
  const pending = [...work];
  if (pending.length === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([Promise.allSettled(pending).then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
