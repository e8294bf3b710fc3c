import { interruptibleSleep } from '@cqrs/core/transport';

/** What a backoff wait checks and calls while it waits. */
export interface BackoffWaitHooks {
  /** Keeps the group membership alive; throws when the group is rebalancing. */
  readonly heartbeat: () => Promise<void>;
  /** False once the wait should end early (consumer stopping, partition revoked). */
  readonly keepWaiting: () => boolean;
  /** Aborted when the consumer stops, to wake the wait at once. */
  readonly signal: AbortSignal;
  /** Longest sleep between two heartbeats. @default 1000 */
  readonly sliceMs?: number;
}

/**
 * Waits `ms` before a retry in slices, sending heartbeats in between so a long backoff never
 * costs the partition its place in the group. Resolves true when the wait ran out, false when
 * it was cut short (stop, revoked partition); heartbeat errors (a rebalance) propagate.
 */
export async function backoffWait(ms: number, hooks: BackoffWaitHooks): Promise<boolean> {
  const deadline = Date.now() + ms;
  const slice = hooks.sliceMs ?? 1000;
  for (;;) {
    if (hooks.signal.aborted || !hooks.keepWaiting()) return false;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return true;
    await interruptibleSleep(Math.min(slice, remaining), hooks.signal);
    if (hooks.signal.aborted || !hooks.keepWaiting()) return false;
    await hooks.heartbeat();
  }
}
