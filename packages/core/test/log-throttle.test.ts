import { LogThrottle } from '../src/logging/log-throttle';

describe('LogThrottle', () => {
  test('writes the first line of a key, holds the next ones within the interval, then says how many it held', () => {
    let now = 0;
    const throttle = new LogThrottle(1_000, () => now);
    expect(throttle.admit('orders:Error')).toEqual({ log: true, suppressed: 0 });
    now = 100;
    expect(throttle.admit('orders:Error')).toEqual({ log: false, suppressed: 1 });
    expect(throttle.admit('orders:Error')).toEqual({ log: false, suppressed: 2 });
    // Another key has a budget of its own.
    expect(throttle.admit('payments:Error')).toEqual({ log: true, suppressed: 0 });
    now = 1_000;
    expect(throttle.admit('orders:Error')).toEqual({ log: true, suppressed: 2 });
    expect(throttle.admit('orders:Error')).toEqual({ log: false, suppressed: 1 });
  });
});
