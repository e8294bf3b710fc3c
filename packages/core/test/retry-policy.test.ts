import { ConfigurationError, CqrsError, DeserializeJsonError, isTransientDecodeError, retryPolicy } from '@cqrs/core';
import { nextStep } from '@cqrs/core/transport';

const badBytes = new DeserializeJsonError({ errorMessage: 'nope', errorType: 'SyntaxError', messageData: new Uint8Array([1]) });

describe('retryPolicy', () => {
  test('defaults to three attempts with exponential backoff', () => {
    const policy = retryPolicy();
    expect(policy.maxAttempts).toBe(3);
    expect(policy.backoff(1)).toBeGreaterThanOrEqual(80);
    expect(policy.backoff(1)).toBeLessThanOrEqual(120);
  });

  test.each([0, -1, 2.5, Number.NaN])('refuses maxAttempts %p', (maxAttempts) => {
    expect(() => retryPolicy({ maxAttempts })).toThrow(ConfigurationError);
  });
});

describe('nextStep', () => {
  const policy = retryPolicy({ maxAttempts: 3, backoff: (attempt) => attempt * 10 });

  test('retries with the backoff delay until the last attempt, then gives up', () => {
    expect(nextStep(policy, 1, new Error('x'))).toEqual({ retry: true, delayMs: 10 });
    expect(nextStep(policy, 2, new Error('x'))).toEqual({ retry: true, delayMs: 20 });
    expect(nextStep(policy, 3, new Error('x'))).toEqual({ retry: false });
  });

  test('bad bytes are never retried by default', () => {
    expect(nextStep(policy, 1, badBytes)).toEqual({ retry: false });
  });

  test('a custom isRetriable decides instead', () => {
    const custom = retryPolicy({ maxAttempts: 5, backoff: () => 0, isRetriable: (error) => !(error instanceof TypeError) });
    expect(nextStep(custom, 1, new TypeError('bug'))).toEqual({ retry: false });
    expect(nextStep(custom, 1, badBytes)).toEqual({ retry: true, delayMs: 0 });
  });

  test('a transient decode failure (its cause a retriable CqrsError) is retried past the last attempt', () => {
    const transient = new DeserializeJsonError({ errorMessage: 'registry down', errorType: 'SchemaRegistryError', messageData: new Uint8Array([1]), cause: new CqrsError('SCHEMA_REGISTRY_ERROR', 'down', { retriable: true }) });
    expect(isTransientDecodeError(transient)).toBe(true);
    expect(isTransientDecodeError(badBytes)).toBe(false);
    expect(nextStep(policy, 3, transient)).toEqual({ retry: true, delayMs: 30 });
    expect(nextStep(policy, 50, transient)).toEqual({ retry: true, delayMs: 500 });
    expect(nextStep(policy, 3, new Error('x'))).toEqual({ retry: false });
  });

  test('isOutage decides what is retried past the last attempt; () => false caps everything at maxAttempts', () => {
    const transient = new DeserializeJsonError({ errorMessage: 'registry down', errorType: 'SchemaRegistryError', messageData: new Uint8Array([1]), cause: new CqrsError('SCHEMA_REGISTRY_ERROR', 'down', { retriable: true }) });
    const capped = retryPolicy({ maxAttempts: 3, backoff: () => 5, isOutage: () => false });
    expect(nextStep(capped, 2, transient)).toEqual({ retry: true, delayMs: 5 });
    expect(nextStep(capped, 3, transient)).toEqual({ retry: false });
    const databaseDown = retryPolicy({ maxAttempts: 3, backoff: () => 5, isOutage: (error) => error instanceof Error && error.message === 'database down' });
    expect(nextStep(databaseDown, 9, new Error('database down'))).toEqual({ retry: true, delayMs: 5 });
    expect(nextStep(databaseDown, 3, new Error('bug'))).toEqual({ retry: false });
    expect(nextStep(databaseDown, 3, transient)).toEqual({ retry: false });
  });
});
