import { errorMessage } from '../errors/error-like';
import type { Logger } from '../logging/logger';

/** The part of `process` signal handling needs; injectable so tests never signal the test runner. */
export interface SignalTarget {
  readonly pid: number;
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
  listenerCount(signal: NodeJS.Signals): number;
  kill(pid: number, signal: NodeJS.Signals): unknown;
}

/** Options of `onShutdownSignals`. */
export interface ShutdownSignalOptions {
  /** @default ['SIGTERM', 'SIGINT'] */
  readonly signals?: readonly NodeJS.Signals[];
  /** @default process */
  readonly target?: SignalTarget;
}

/** The signals a consumer stops on. */
export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = Object.freeze(['SIGTERM', 'SIGINT'] as NodeJS.Signals[]);

/**
 * Runs `stop` on SIGTERM or SIGINT, then re-raises the signal when nobody else listens for it,
 * so the process still ends the way it would have without us. Returns the function that
 * removes the listeners. Every consumer's `handleSignals` goes through here.
 */
export function onShutdownSignals(stop: () => Promise<void>, logger: Logger, options: ShutdownSignalOptions = {}): () => void {
  const target = options.target ?? process;
  const listeners = new Map<NodeJS.Signals, () => void>();
  const remove = (): void => {
    for (const [signal, listener] of listeners) target.off(signal, listener);
    listeners.clear();
  };
  for (const signal of options.signals ?? SHUTDOWN_SIGNALS) {
    const listener = (): void => {
      logger.info(`${signal} received: stopping the consumer, letting in-flight messages finish`);
      remove();
      void stop()
        .catch((error: unknown) => logger.error('stopping the consumer failed', { error: errorMessage(error) }))
        .finally(() => {
          if (target.listenerCount(signal) === 0) target.kill(target.pid, signal);
        });
    };
    listeners.set(signal, listener);
    target.on(signal, listener);
  }
  return remove;
}
