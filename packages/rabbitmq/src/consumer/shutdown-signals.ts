import type { Logger } from '@cqrs/core';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Runs `stop` on SIGTERM or SIGINT, then re-raises the signal when nobody else listens for it,
 * so the process still ends the way it would have without us. Returns the function that
 * removes the listeners.
 */
export function onShutdownSignals(stop: () => Promise<void>, logger: Logger): () => void {
  const listeners = new Map<NodeJS.Signals, () => void>();
  const remove = (): void => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
    listeners.clear();
  };
  for (const signal of SIGNALS) {
    const listener = (): void => {
      logger.info(`${signal} received: draining in-flight messages`);
      remove();
      void stop()
        .catch((error: unknown) => logger.error('stopping the consumer failed', { error: error instanceof Error ? error.message : String(error) }))
        .finally(() => {
          if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
        });
    };
    listeners.set(signal, listener);
    process.on(signal, listener);
  }
  return remove;
}
