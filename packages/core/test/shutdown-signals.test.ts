import { silentLogger } from '@cqrs/core';
import { onShutdownSignals } from '@cqrs/core/transport';

test('SIGTERM runs stop once and removes the listeners; the signal is not re-raised while others listen', async () => {
  const other = (): void => undefined;
  process.on('SIGTERM', other);
  const kill = jest.spyOn(process, 'kill').mockImplementation(() => true);
  let stops = 0;
  const before = process.listenerCount('SIGTERM');
  const beforeInt = process.listenerCount('SIGINT');
  try {
    onShutdownSignals(async () => {
      stops += 1;
    }, silentLogger);
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    process.emit('SIGTERM');
    process.emit('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(stops).toBe(1);
    expect(process.listenerCount('SIGTERM')).toBe(before);
    expect(process.listenerCount('SIGINT')).toBe(beforeInt);
    expect(kill).not.toHaveBeenCalled();
  } finally {
    process.off('SIGTERM', other);
    kill.mockRestore();
  }
});

test('the returned function removes the listeners without stopping', () => {
  const before = process.listenerCount('SIGINT');
  let stops = 0;
  const remove = onShutdownSignals(async () => {
    stops += 1;
  }, silentLogger);
  expect(process.listenerCount('SIGINT')).toBe(before + 1);
  remove();
  expect(process.listenerCount('SIGINT')).toBe(before);
  expect(stops).toBe(0);
});

test('with nobody else listening the signal is re-raised once the stop is done', async () => {
  const listeners = new Map<NodeJS.Signals, () => void>();
  const killed: NodeJS.Signals[] = [];
  const target = {
    pid: 42,
    on: (signal: NodeJS.Signals, listener: () => void) => listeners.set(signal, listener),
    off: (signal: NodeJS.Signals) => listeners.delete(signal),
    listenerCount: (signal: NodeJS.Signals) => (listeners.has(signal) ? 1 : 0),
    kill: (_pid: number, signal: NodeJS.Signals) => killed.push(signal),
  };
  let stopped = false;
  onShutdownSignals(async () => {
    stopped = true;
  }, silentLogger, { target });
  listeners.get('SIGINT')!();
  await new Promise((resolve) => setImmediate(resolve));
  expect(stopped).toBe(true);
  expect(listeners.size).toBe(0);
  expect(killed).toEqual(['SIGINT']);
});
