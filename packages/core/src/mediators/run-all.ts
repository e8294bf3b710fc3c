/**
 * Runs `task` for every item, at most `concurrency` at a time, and waits for all of them even
 * when some fail. One failure is rethrown as it is; several become one `AggregateError`.
 */
export async function runAll<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  if (items.length === 1) return task(items[0] as T);
  const failures: unknown[] = [];
  if (concurrency <= 1) {
    for (const item of items) {
      try {
        await task(item);
      } catch (error) {
        failures.push(error);
      }
    }
  } else {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const item = items[next] as T;
        next += 1;
        try {
          await task(item);
        } catch (error) {
          failures.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} of ${items.length} event handlers failed`);
}
