import { CqrsError, DeserializeJsonError, isRetriableByDefault, retryPolicy, type ConsumedMessage, type Decoded, type Subscription, type ValueDeserializer } from '@cqrs/core';
import { runDelivery, type DeliveryHooks, type DeliveryResult, type ReceivedMessage } from '@cqrs/core/transport';
import { CapturingLogger } from './support/capturing-logger';

const bytes = new TextEncoder().encode('x');
const received: ReceivedMessage<ConsumedMessage> = { topic: 'orders', key: undefined, headers: {}, value: bytes, attempt: 1 };
const text: ValueDeserializer<string> = { deserialize: (data): Decoded<string> => (data === null || data === undefined ? null : new TextDecoder().decode(data)) };

function subscription(handler: Subscription<unknown>['handler'], valueDeserializer: ValueDeserializer<unknown> = text): Subscription<unknown> {
  return { topics: ['orders'], valueDeserializer, handler };
}

function hooks(overrides: Partial<DeliveryHooks<ConsumedMessage, string>> = {}) {
  const calls: string[] = [];
  const settled: DeliveryResult[] = [];
  const all: DeliveryHooks<ConsumedMessage, string> = {
    waitInPlace: async (ms) => {
      calls.push(`wait ${ms}`);
      return true;
    },
    deadLetter: async (msg, raw, error, attempts) => void calls.push(`dead-letter ${raw} after ${attempts}: ${(error as Error).message}`),
    settle: (_msg, _raw, result) => void settled.push(result),
    ...overrides,
  };
  return { all, calls, settled };
}

describe('runDelivery', () => {
  test('retries in place with the backoff, logging each nack with its error, then dead-letters and logs that too', async () => {
    const logger = new CapturingLogger();
    const { all, calls, settled } = hooks({ deadLetterDestination: () => 'orders.dlq' });
    const attempts: number[] = [];
    const result = await runDelivery(received, 'raw', subscription((_b, msg) => {
      attempts.push(msg.attempt);
      throw new Error('database is down');
    }), { retry: retryPolicy({ maxAttempts: 3, backoff: (attempt) => attempt * 10 }), logger }, all);
    expect(result).toBe('dead-lettered');
    expect(attempts).toEqual([1, 2, 3]);
    expect(calls).toEqual(['wait 10', 'wait 20', 'dead-letter raw after 3: database is down']);
    expect(settled).toEqual(['dead-lettered']);
    // The second retry of the same topic and error type within 10 s is held back, not logged.
    expect(logger.at('warn').map((line) => line.message)).toEqual([
      'message orders was nacked on attempt 1 of 3; retrying in 10 ms: Error: database is down',
      'dead-lettering message orders to orders.dlq after 3 attempt(s): Error: database is down',
    ]);
    expect(logger.at('warn')[0]?.fields).toMatchObject({ attempt: 1, errorType: 'Error', error: 'database is down' });
    expect(logger.at('warn')[1]?.fields).toMatchObject({ error: 'database is down', errorType: 'Error', attempt: 3 });
  });

  test('with retryLater the transport takes the retry: no waiting in place', async () => {
    const later: string[] = [];
    const { all, calls, settled } = hooks({ retryLater: async (msg, _raw, delayMs) => void later.push(`attempt ${msg.attempt} again in ${delayMs} ms`) });
    const result = await runDelivery(received, 'raw', subscription(() => {
      throw new Error('flaky');
    }), { retry: retryPolicy({ maxAttempts: 2, backoff: () => 5 }), logger: new CapturingLogger() }, all);
    expect(result).toBe('retried');
    expect(later).toEqual(['attempt 1 again in 5 ms']);
    expect(calls).toEqual([]);
    expect(settled).toEqual(['retried']);
  });

  test('a wait cut short leaves the message interrupted, neither retried nor dead-lettered', async () => {
    const { all, calls, settled } = hooks({ waitInPlace: async () => false });
    const result = await runDelivery(received, 'raw', subscription(() => {
      throw new Error('x');
    }), { retry: retryPolicy({ maxAttempts: 5 }), logger: new CapturingLogger() }, all);
    expect(result).toBe('interrupted');
    expect(calls).toEqual([]);
    expect(settled).toEqual(['interrupted']);
  });

  test('acked and skipped deliveries are settled as such', async () => {
    const { all, settled } = hooks();
    const policy = { retry: retryPolicy(), logger: new CapturingLogger() };
    expect(await runDelivery(received, 'raw', subscription(() => undefined), policy, all)).toBe('acked');
    const skipping = { ...subscription(() => undefined), decoder: () => Symbol.for('@cqrs/core/SKIP_MESSAGE') as never };
    expect(await runDelivery(received, 'raw', skipping, policy, all)).toBe('skipped');
    expect(settled).toEqual(['acked', 'skipped']);
  });

  test('bad bytes whose cause is transient (registry down) are retried; other bad bytes are dead-lettered at once', async () => {
    const down = new CqrsError('SCHEMA_REGISTRY_ERROR', 'registry unreachable', { retriable: true });
    let registryUp = false;
    const deserializer: ValueDeserializer<string> = {
      deserialize: (data) =>
        registryUp ? 'decoded' : new DeserializeJsonError({ errorMessage: 'schema lookup failed', errorType: 'SchemaRegistryError', messageData: data ?? new Uint8Array(), cause: down }),
    };
    const handled: string[] = [];
    const { all, calls } = hooks({
      waitInPlace: async () => {
        registryUp = true;
        return true;
      },
    });
    const handler: Subscription<unknown>['handler'] = async (body, msg) => {
      if (body instanceof DeserializeJsonError) return msg.nack(body);
      handled.push(String(body));
    };
    const policy = { retry: retryPolicy({ maxAttempts: 3, backoff: () => 0 }), logger: new CapturingLogger() };
    expect(await runDelivery(received, 'raw', subscription(handler, deserializer), policy, all)).toBe('acked');
    expect(handled).toEqual(['decoded']);
    expect(calls).toEqual([]);

    const garbage = new DeserializeJsonError({ errorMessage: 'not JSON', errorType: 'SyntaxError', messageData: bytes });
    expect(isRetriableByDefault(garbage)).toBe(false);
    expect(isRetriableByDefault(new DeserializeJsonError({ errorMessage: 'x', errorType: 'y', messageData: bytes, cause: new CqrsError('C', 'permanent') }))).toBe(false);
    expect(isRetriableByDefault(new Error('anything else'))).toBe(true);
  });

  test('a transient decode failure is retried past maxAttempts for as long as it lasts, never dead-lettered', async () => {
    const down = new CqrsError('SCHEMA_REGISTRY_ERROR', 'registry unreachable', { retriable: true });
    let failures = 0;
    const deserializer: ValueDeserializer<string> = {
      deserialize: (data) => {
        if (failures >= 10) return 'decoded';
        failures += 1;
        return new DeserializeJsonError({ errorMessage: 'schema lookup failed', errorType: 'SchemaRegistryError', messageData: data ?? new Uint8Array(), cause: down });
      },
    };
    const { all, calls } = hooks();
    const handler: Subscription<unknown>['handler'] = async (body, msg) => {
      if (body instanceof DeserializeJsonError) return msg.nack(body);
    };
    const logger = new CapturingLogger();
    const policy = { retry: retryPolicy({ maxAttempts: 3, backoff: () => 1 }), logger };
    expect(await runDelivery(received, 'raw', subscription(handler, deserializer), policy, all)).toBe('acked');
    expect(calls.filter((call) => call.startsWith('wait'))).toHaveLength(10);
    expect(calls.some((call) => call.startsWith('dead-letter'))).toBe(false);
    // Ten retries within the throttle's interval: one line.
    expect(logger.at('warn')).toHaveLength(1);
    expect(logger.at('warn')[0]?.message).toContain('SchemaRegistryError: schema lookup failed');
  });
});
