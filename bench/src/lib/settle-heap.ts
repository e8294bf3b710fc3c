/**
 * A full garbage collection before a timed case (with `node --expose-gc`, as the `bench:*`
 * scripts run), so no case pays for the garbage the one before it left. A no-op without the flag.
 */
export function settleHeap(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
