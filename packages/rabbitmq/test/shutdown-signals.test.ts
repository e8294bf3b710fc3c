import { silentLogger } from '@cqrs/core';
import { onShutdownSignals } from '../src/consumer/shutdown-signals';

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
