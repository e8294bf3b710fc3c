import {
  DeserializeJsonError,
  SKIP_MESSAGE,
  isDeserializeError,
  retryPolicy,
  silentLogger,
  type Decoded,
  type MessageHandler,
  type RetryPolicy,
  type Subscription,
  type ValueDeserializer,
} from '@cqrs/core';
import type { KafkaConsumedMessage } from '@cqrs/kafka';
import { processBatch, type DeadLetter } from '../src/consumer/process-batch';
import { FakeBatch, record } from './fakes';

// Bytes "bad" are undecodable; anything else decodes to its text.
const textDeserializer: ValueDeserializer<string> = {
  deserialize: (data): Decoded<string> => {
    if (data === null || data === undefined || data.byteLength === 0) return null;
    const text = Buffer.from(data).toString('utf8');
    return text === 'bad' ? new DeserializeJsonError({ errorMessage: 'not text', errorType: 'SyntaxError', messageData: data }) : text;
  },
};

interface Run {
  readonly batch: FakeBatch;
  readonly deadLetters: DeadLetter[];
  readonly seen: string[];
}

async function run(
  batch: FakeBatch,
  handler: MessageHandler<string, KafkaConsumedMessage>,
  options: { commitIntervalMs?: number; retry?: RetryPolicy; controller?: AbortController; deadLetter?: (letter: DeadLetter) => Promise<void>; decoder?: Subscription<string, KafkaConsumedMessage>['decoder'] } = {},
): Promise<Run> {
  const deadLetters: DeadLetter[] = [];
  const seen: string[] = [];
  const subscription: Subscription<string, KafkaConsumedMessage> = {
    topics: [batch.batch.topic],
    valueDeserializer: textDeserializer,
    ...(options.decoder === undefined ? {} : { decoder: options.decoder }),
    handler: async (body, msg) => {
      seen.push(`${msg.offset}:${msg.attempt}`);
      await handler(body, msg);
    },
  };
  await processBatch(batch, {
    subscription: subscription as Subscription<unknown, KafkaConsumedMessage>,
    retry: options.retry ?? retryPolicy({ maxAttempts: 3, backoff: () => 0 }),
    deadLetter: options.deadLetter ?? (async (letter) => void deadLetters.push(letter)),
    commitIntervalMs: options.commitIntervalMs ?? 60_000,
    checkIntervalMs: 0,
    signal: (options.controller ?? new AbortController()).signal,
    logger: silentLogger,
  });
  return { batch, deadLetters, seen };
}

describe('processBatch', () => {
  test('hands records in order with their metadata; acked records commit past the batch', async () => {
    const bodies: unknown[] = [];
    const messages: KafkaConsumedMessage[] = [];
    const { batch, seen } = await run(new FakeBatch([record(4, 'a', { message_name: 'x' }, 'k'), record(5, 'b')], 'users', 2), async (body, msg) => {
      bodies.push(body);
      messages.push(msg);
      await msg.ack();
    });
    expect(bodies).toEqual(['a', 'b']);
    expect(seen).toEqual(['4:1', '5:1']);
    expect(messages[0]).toMatchObject({ topic: 'users', partition: 2, offset: '4', key: 'k', headers: { message_name: 'x' }, attempt: 1 });
    expect(Buffer.from(messages[0]!.value!).toString()).toBe('a');
    // Resolved once, at the end: kafkajs keeps only the latest.
    expect(batch.resolved).toEqual(['5']);
    expect(batch.commits).toEqual(['6']);
  });

  test('a handler that returns without deciding acks; empty records arrive as null', async () => {
    const bodies: unknown[] = [];
    const { batch } = await run(new FakeBatch([record(0, null), record(1, '')]), (body) => void bodies.push(body));
    expect(bodies).toEqual([null, null]);
    expect(batch.lastCommit).toBe('2');
  });

  test('a nacked record is retried in place, then dead-lettered, and the partition moves on', async () => {
    const { batch, deadLetters, seen } = await run(new FakeBatch([record(0, 'poison'), record(1, 'fine')]), async (body, msg) => {
      if (body === 'poison') await msg.nack(new Error('cannot handle poison'));
    });
    expect(seen).toEqual(['0:1', '0:2', '0:3', '1:1']);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({ topic: 'users', partition: 0, attempts: 3 });
    expect(deadLetters[0]?.message.offset).toBe('0');
    expect((deadLetters[0]?.error as Error).message).toBe('cannot handle poison');
    expect(batch.lastCommit).toBe('2');
  });

  test('a throwing handler nacks; a later attempt that succeeds is not dead-lettered', async () => {
    let calls = 0;
    const { deadLetters, seen, batch } = await run(new FakeBatch([record(0, 'flaky')]), () => {
      calls += 1;
      if (calls < 2) throw new Error('database down');
    });
    expect(seen).toEqual(['0:1', '0:2']);
    expect(deadLetters).toEqual([]);
    expect(batch.lastCommit).toBe('1');
  });

  test('undecodable bytes are not retried: straight to the dead letters with the typed error', async () => {
    const { deadLetters, seen } = await run(new FakeBatch([record(0, 'bad')]), async (body, msg) => {
      if (isDeserializeError(body)) await msg.nack();
    });
    expect(seen).toEqual(['0:1']);
    expect(isDeserializeError(deadLetters[0]?.error)).toBe(true);
    expect(deadLetters[0]?.attempts).toBe(1);
  });

  test('a decoder can skip records: acked without calling the handler', async () => {
    const { seen, batch } = await run(new FakeBatch([record(0, 'x'), record(1, 'keep')]), () => undefined, {
      decoder: (msg, decode) => (msg.value?.byteLength === 1 ? SKIP_MESSAGE : decode(msg)),
    });
    expect(seen).toEqual(['1:1']);
    expect(batch.lastCommit).toBe('2');
  });

  test('heartbeats keep the member alive while a retry waits', async () => {
    const batch = new FakeBatch([record(0, 'slow')]);
    let calls = 0;
    const retry = retryPolicy({ maxAttempts: 2, backoff: () => 30 });
    await run(batch, () => {
      calls += 1;
      if (calls === 1) throw new Error('later');
    }, { retry });
    // One per handled record at least, plus the ones during the backoff wait.
    expect(batch.heartbeats).toBeGreaterThanOrEqual(2);
    expect(batch.lastCommit).toBe('1');
  });

  test('a stop during a backoff leaves that record uncommitted for redelivery', async () => {
    const controller = new AbortController();
    const batch = new FakeBatch([record(0, 'ok'), record(1, 'stuck'), record(2, 'never')]);
    const { seen, deadLetters } = await run(batch, (body) => {
      if (body === 'stuck') {
        controller.abort();
        throw new Error('fails while stopping');
      }
    }, { controller, retry: retryPolicy({ maxAttempts: 5, backoff: () => 60_000 }) });
    expect(seen).toEqual(['0:1', '1:1']);
    expect(deadLetters).toEqual([]);
    expect(batch.resolved).toEqual(['0']);
    expect(batch.commits).toEqual(['1']);
  });

  test('a revoked partition (stale batch) stops taking records', async () => {
    const batch = new FakeBatch([record(0, 'a'), record(1, 'b'), record(2, 'c')]);
    const { seen } = await run(batch, (_body, msg) => {
      if (msg.offset === '1') batch.stale = true;
    });
    expect(seen).toEqual(['0:1', '1:1']);
    expect(batch.commits).toEqual(['2']);
  });

  test('a consumer that stops running finishes the record in flight and commits it', async () => {
    const batch = new FakeBatch([record(0, 'a'), record(1, 'b')]);
    const { seen } = await run(batch, () => {
      batch.running = false;
    });
    expect(seen).toEqual(['0:1']);
    expect(batch.commits).toEqual(['1']);
  });

  test('a failed dead-letter publish commits only what came before and propagates', async () => {
    const batch = new FakeBatch([record(0, 'ok'), record(1, 'bad'), record(2, 'ok')]);
    const failing = run(batch, async (body, msg) => {
      if (isDeserializeError(body)) await msg.nack();
    }, { deadLetter: async () => Promise.reject(new Error('dead-letter topic unavailable')) });
    await expect(failing).rejects.toThrow('dead-letter topic unavailable');
    expect(batch.commits).toEqual(['1']);
    expect(batch.resolved).toEqual(['0']);
  });

  test('a rebalance seen by the heartbeat commits what is done, then propagates', async () => {
    const batch = new FakeBatch([record(0, 'a'), record(1, 'b')]);
    const seen: string[] = [];
    const failing = run(batch, (_body, msg) => {
      seen.push(msg.offset);
      batch.heartbeatError = Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    });
    await expect(failing).rejects.toThrow('rebalancing');
    expect(seen).toEqual(['0']);
    expect(batch.commits).toEqual(['1']);
  });

  test('the dead letter carries the original record untouched', async () => {
    const original = record(3, 'bad', { message_name: 'user_created' }, 'user-1');
    const { deadLetters } = await run(new FakeBatch([original]), async (_b, msg) => msg.nack());
    expect(deadLetters[0]?.message).toBe(original);
  });

  test('long batches commit along the way, not only at the end', async () => {
    const batch = new FakeBatch([record(0, 'a'), record(1, 'b'), record(2, 'c')]);
    await run(batch, () => undefined, { commitIntervalMs: 0 });
    expect(batch.commits).toEqual(['1', '2', '3']);
  });
});
