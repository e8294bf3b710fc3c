import { ConfigurationError, exponentialBackoff } from '@cqrs/core';

describe('exponentialBackoff', () => {
  test('grows by the factor from the initial delay and stops at the cap (no jitter)', () => {
    const backoff = exponentialBackoff({ initialMs: 100, factor: 2, maxMs: 1000, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map(backoff)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  test('jitter spreads around the delay within the given fraction', () => {
    expect(exponentialBackoff({ initialMs: 100, jitter: 0.5, random: () => 0 })(1)).toBe(50);
    expect(exponentialBackoff({ initialMs: 100, jitter: 0.5, random: () => 0.5 })(1)).toBe(100);
    expect(exponentialBackoff({ initialMs: 100, jitter: 0.5, random: () => 1 })(1)).toBe(150);
  });

  test('jitter never goes past the cap or below zero', () => {
    expect(exponentialBackoff({ initialMs: 1000, maxMs: 1000, jitter: 1, random: () => 1 })(1)).toBe(1000);
    expect(exponentialBackoff({ initialMs: 10, jitter: 1, random: () => 0 })(1)).toBe(0);
  });

  test('defaults: 100 ms first, doubling, 20% jitter, 30 s cap', () => {
    const backoff = exponentialBackoff({ random: () => 0.5 });
    expect(backoff(1)).toBe(100);
    expect(backoff(2)).toBe(200);
    expect(backoff(50)).toBe(30_000);
  });

  test('a zero backoff is allowed (tests inject it)', () => {
    expect(exponentialBackoff({ initialMs: 0, maxMs: 0 })(3)).toBe(0);
  });

  test.each([
    [{ initialMs: -1 }, /initialMs/],
    [{ initialMs: Number.NaN }, /initialMs/],
    [{ maxMs: 10, initialMs: 100 }, /maxMs/],
    [{ maxMs: Infinity }, /maxMs/],
    [{ factor: 0.5 }, /factor/],
    [{ jitter: 1.5 }, /jitter/],
    [{ jitter: -0.1 }, /jitter/],
  ])('refuses %p', (options, message) => {
    expect(() => exponentialBackoff(options)).toThrow(ConfigurationError);
    expect(() => exponentialBackoff(options)).toThrow(message);
  });
});
