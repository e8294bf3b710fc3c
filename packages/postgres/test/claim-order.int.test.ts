import { InMemoryMessageBroker, encodedValueSerializer, silentLogger, type MessageBroker } from '@cqrs/core';
import { OutboxRelay, UnsupportedClientError } from '@cqrs/postgres';
import { waitFor } from '@cqrs/test-fixtures';
import { types } from 'pg';
import { count, poolWithSchemaPerTest } from './support/pg';

jest.setTimeout(60_000);

const TOPIC = 'claims';

/**
 * The claim query on the real PostgreSQL, with the in-memory broker as the log: a backlog whose
 * `seq` values cross 9→10 and 99→100 (where text order and number order part ways) comes out in
 * each key's order, drained by one relay cycle by cycle and by four relays at once.
 */
describe('OutboxRelay claims', () => {
  let schema: string;
  const pool = poolWithSchemaPerTest((created) => (schema = created), 20);

  /** Inserts `perKey` rows for each of `keys` keys, interleaved, each key's rows numbered 0.. in `seq` order. */
  async function backlog(keys: number, perKey: number): Promise<void> {
    for (let n = 0; n < perKey; n += 1) {
      for (let k = 0; k < keys; k += 1) {
        await pool.query(`INSERT INTO ${schema}.cqrs_outbox (id, aggregatetype, aggregateid, type, payload) VALUES ($1, $2, $3, 'e', $4)`, [
          `k${k}-${n}`,
          TOPIC,
          `k${k}`,
          Buffer.from(String(n)),
        ]);
      }
    }
  }

  /** Each key's row numbers, in the order they reached the broker. */
  function orderPerKey(broker: InMemoryMessageBroker): Map<string, number[]> {
    const byKey = new Map<string, number[]>();
    for (const record of broker.records(TOPIC)) {
      const key = record.key ?? '';
      byKey.set(key, [...(byKey.get(key) ?? []), Number(Buffer.from(record.value ?? new Uint8Array()).toString('utf8'))]);
    }
    return byKey;
  }

  function inOrder(perKey: number): number[] {
    return Array.from({ length: perKey }, (_, n) => n);
  }

  test('one relay, small batches: every key in order across seq 9→10 and 99→100', async () => {
    await backlog(3, 60);
    const broker = new InMemoryMessageBroker({ valueSerializer: encodedValueSerializer() });
    const relay = new OutboxRelay({ pool, broker, schema, logger: silentLogger, batchSize: 7 });
    let cycles = 0;
    while ((await relay.runOnce()) > 0) cycles += 1;
    expect(cycles).toBeGreaterThan(20);
    const byKey = orderPerKey(broker);
    expect([...byKey.keys()].sort()).toEqual(['k0', 'k1', 'k2']);
    for (const ns of byKey.values()) expect(ns).toEqual(inOrder(60));
  });

  test.each(['mark', 'delete'] as const)('four relays draining one backlog: each row once, every key in order (onPublished: %s)', async (onPublished) => {
    await backlog(8, 40);
    const broker = new InMemoryMessageBroker({ valueSerializer: encodedValueSerializer() });
    const relays = Array.from({ length: 4 }, () => new OutboxRelay({ pool, broker, schema, logger: silentLogger, batchSize: 5, pollIntervalMs: 10, onPublished }));
    await Promise.all(relays.map((relay) => relay.start()));
    try {
      await waitFor(() => broker.records(TOPIC).length >= 320, () => `320 records, have ${broker.records(TOPIC).length}`);
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }
    expect(broker.records(TOPIC)).toHaveLength(320);
    const byKey = orderPerKey(broker);
    expect(byKey.size).toBe(8);
    for (const ns of byKey.values()) expect(ns).toEqual(inOrder(40));
  });

  test('maxBatchBytes: a cycle takes rows while their payloads fit (one at least), each key still in order', async () => {
    // 2 keys × 6 rows of 1,000 bytes, and one 5,000-byte row that fits no batch on its own.
    for (let n = 0; n < 6; n += 1) {
      for (const key of ['a', 'b']) {
        await pool.query(`INSERT INTO ${schema}.cqrs_outbox (id, aggregatetype, aggregateid, type, payload) VALUES ($1, $2, $3, 'e', $4)`, [`${key}-${n}`, TOPIC, key, Buffer.from(String(n).padEnd(1000, ' '))]);
      }
    }
    await pool.query(`INSERT INTO ${schema}.cqrs_outbox (id, aggregatetype, aggregateid, type, payload) VALUES ('big', $1, 'c', 'e', $2)`, [TOPIC, Buffer.from('6'.padEnd(5000, ' '))]);
    const broker = new InMemoryMessageBroker({ valueSerializer: encodedValueSerializer() });
    const relay = new OutboxRelay({ pool, broker, schema, logger: silentLogger, batchSize: 100, maxBatchBytes: 2500 });
    const perCycle: number[] = [];
    for (let published = await relay.runOnce(); published > 0; published = await relay.runOnce()) perCycle.push(published);
    expect(perCycle.reduce((sum, n) => sum + n, 0)).toBe(13);
    expect(Math.max(...perCycle)).toBe(2);
    expect(perCycle).toContain(1); // the big row went out alone
    const byKey = orderPerKey(broker);
    expect(byKey.get('a')).toEqual(inOrder(6));
    expect(byKey.get('b')).toEqual(inOrder(6));
    expect(byKey.get('c')).toEqual([6]);
  });

  test('a cycle is two round trips (claim, commit), and a cycle with a refused row takes only the published ones', async () => {
    await backlog(4, 5);
    const statements: string[] = [];
    // The relay's own connections, counted: what the cycle sends to PostgreSQL.
    const counting = {
      connect: async () => {
        const client = await pool.connect();
        return Object.assign(Object.create(client) as typeof client, {
          query: (query: string | { text: string }, values?: unknown[]) => {
            statements.push((typeof query === 'string' ? query : query.text).trim().split(/\s+/)[0] ?? '');
            return client.query(query as string, values);
          },
        });
      },
    };
    const broker = new InMemoryMessageBroker({ valueSerializer: encodedValueSerializer() });
    const relay = new OutboxRelay({ pool: counting, broker, schema, logger: silentLogger, batchSize: 50, listen: false });
    expect(await relay.runOnce()).toBe(20);
    expect(statements).toEqual(['BEGIN;', 'COMMIT']);

    // A broker that refuses key k1: the cycle puts k1's rows back and takes only the others.
    await pool.query(`DELETE FROM ${schema}.cqrs_outbox`);
    await backlog(3, 2);
    statements.length = 0;
    const log = new InMemoryMessageBroker({ valueSerializer: encodedValueSerializer() });
    const refusing: MessageBroker = {
      sendMessage: async (message) => {
        if (message.key === 'k1') throw new Error('refused');
        await log.sendMessage(message);
      },
    };
    const partial = new OutboxRelay({ pool: counting, broker: refusing, schema, logger: silentLogger, batchSize: 50, listen: false, backoff: () => 60_000 });
    expect(await partial.runOnce()).toBe(4);
    expect(statements).toEqual(['BEGIN;', 'ROLLBACK', 'UPDATE', 'COMMIT']);
    expect(await count(pool, `${schema}.cqrs_outbox`, "published_at IS NULL AND aggregateid = 'k1'")).toBe(2);
    expect(await count(pool, `${schema}.cqrs_outbox`, 'published_at IS NULL')).toBe(2);
    expect(orderPerKey(log)).toEqual(new Map([['k0', [0, 1]], ['k2', [0, 1]]]));
  });

  test('a client that answers a multi-statement query with its last result only is refused, and the claimed rows stay pending', async () => {
    await backlog(2, 3);
    const lastResultOnly = {
      connect: async () => {
        const client = await pool.connect();
        return Object.assign(Object.create(client) as typeof client, {
          query: async (query: string, values?: unknown[]) => {
            const answer: unknown = await client.query(query, values);
            return Array.isArray(answer) ? (answer[answer.length - 1] as unknown) : answer;
          },
        });
      },
    };
    const broker = new InMemoryMessageBroker({ valueSerializer: encodedValueSerializer() });
    const relay = new OutboxRelay({ pool: lastResultOnly, broker, schema, logger: silentLogger, listen: false });
    await expect(relay.runOnce()).rejects.toBeInstanceOf(UnsupportedClientError);
    expect(await count(pool, `${schema}.cqrs_outbox`, 'published_at IS NULL')).toBe(6);
    expect(broker.records(TOPIC)).toHaveLength(0);
  });

  test('a key waiting out a backoff with more pending rows than the window does not hold back the keys behind it', async () => {
    // 60 rows of key "stuck", whose head the broker refuses, then 3 rows of key "free".
    for (let n = 0; n < 60; n += 1) {
      await pool.query(`INSERT INTO ${schema}.cqrs_outbox (id, aggregatetype, aggregateid, type, payload) VALUES ($1, $2, 'stuck', 'e', $3)`, [`stuck-${n}`, TOPIC, Buffer.from(String(n))]);
    }
    for (let n = 0; n < 3; n += 1) {
      await pool.query(`INSERT INTO ${schema}.cqrs_outbox (id, aggregatetype, aggregateid, type, payload) VALUES ($1, $2, 'free', 'e', $3)`, [`free-${n}`, TOPIC, Buffer.from(String(n))]);
    }
    const log = new InMemoryMessageBroker({ valueSerializer: encodedValueSerializer() });
    const refusing: MessageBroker = {
      sendMessage: async (message) => {
        if (message.key === 'stuck') throw new Error('refused');
        await log.sendMessage(message);
      },
    };
    // A window of 10 rows (batchSize 5): the stuck key fills it six times over.
    const relay = new OutboxRelay({ pool, broker: refusing, schema, logger: silentLogger, batchSize: 5, listen: false, maxAttempts: 100, backoff: () => 60_000 });
    let cycles = 0;
    while (orderPerKey(log).get('free') === undefined && cycles < 20) {
      await relay.runOnce().catch(() => 0);
      cycles += 1;
    }
    expect(orderPerKey(log).get('free')).toEqual([0, 1, 2]);
    expect(orderPerKey(log).get('stuck')).toBeUndefined();
    expect(await count(pool, `${schema}.cqrs_outbox`, "published_at IS NULL AND aggregateid = 'stuck'")).toBe(60);
  });

  test('hands the broker each row’s stored headers, and the lag of the newest row', async () => {
    // [stored headers as JSON text, minutes since the insert, the headers the broker gets]
    const rows: [string, number, Record<string, string>][] = [
      ['{"message_id": "h-1", "message_name": "e", "x-trace": "a"}', 10, { message_id: 'h-1', message_name: 'e', 'x-trace': 'a' }],
      ['{"message_id": "h-2", "message_name": "e", "x-trace": "b", "x-note": "naïve \\"quoted\\" \\\\ text"}', 10, { message_id: 'h-2', message_name: 'e', 'x-trace': 'b', 'x-note': 'naïve "quoted" \\ text' }],
      ['{"message_id": "h-3", "message_name": "e", "x-trace": "a"}', 10, { message_id: 'h-3', message_name: 'e', 'x-trace': 'a' }],
      // No name or id stored: they come from the `type` and `id` columns, which also win over stored ones.
      ['{"x-trace": "a"}', 10, { message_id: 'h-4', message_name: 'e', 'x-trace': 'a' }],
      ['{"message_id": "other", "message_name": "e"}', 10, { message_id: 'h-5', message_name: 'e' }],
      // Not an object: published with the name and id alone, and no claim fails on it.
      ['null', 10, { message_id: 'h-6', message_name: 'e' }],
      ['"x"', 1, { message_id: 'h-7', message_name: 'e' }],
    ];
    for (const [n, [headers, minutesAgo]] of rows.entries()) {
      await pool.query(
        `INSERT INTO ${schema}.cqrs_outbox (id, aggregatetype, aggregateid, type, payload, headers, created_at) VALUES ($1, $2, 'k', 'e', $3, $4::jsonb, now() - make_interval(mins => $5))`,
        [`h-${n + 1}`, TOPIC, Buffer.from(String(n)), headers, minutesAgo],
      );
    }
    // The messages as the relay hands them over, before any broker merges headers of its own.
    const sent: Record<string, string>[] = [];
    const broker: MessageBroker = {
      sendMessage: async (message) => {
        sent.push({ ...message.headers });
      },
      sendMessages: async (messages) => {
        for (const message of messages) sent.push({ ...message.headers });
      },
    };
    const relay = new OutboxRelay({ pool, broker, schema, logger: silentLogger, listen: false });
    expect(await relay.runOnce()).toBe(rows.length);
    expect(sent).toEqual(rows.map(([, , published]) => published));
    // The newest row's wait (a minute), not the oldest's (ten).
    expect(relay.stats.lastLagMs).toBeGreaterThanOrEqual(60_000);
    expect(relay.stats.lastLagMs).toBeLessThan(5 * 60_000);
  });

  test("the application's pg.types parsers do not change what the claim reads", async () => {
    await pool.query(`INSERT INTO ${schema}.cqrs_outbox (id, aggregatetype, aggregateid, type, payload, headers) VALUES ($1, $2, 'k', 'e', $3, $4)`, [
      'typed-1',
      TOPIC,
      Buffer.from([0, 1, 2, 255]),
      { message_id: 'typed-1', 'x-trace': 'abc' },
    ]);
    // What applications do: int8 as a number, jsonb and bytea left as text.
    const INT8 = 20;
    const BYTEA = 17;
    const JSONB = 3802;
    const saved = [INT8, BYTEA, JSONB].map((oid) => [oid, types.getTypeParser(oid) as (text: string) => unknown] as const);
    types.setTypeParser(INT8, Number);
    types.setTypeParser(BYTEA, (text: string) => text);
    types.setTypeParser(JSONB, (text: string) => text);
    try {
      const broker = new InMemoryMessageBroker({ valueSerializer: encodedValueSerializer() });
      const relay = new OutboxRelay({ pool, broker, schema, logger: silentLogger, listen: false });
      expect(await relay.runOnce()).toBe(1);
      const [record] = broker.records(TOPIC);
      expect(Buffer.from(record?.value ?? new Uint8Array()).equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
      expect(record?.headers).toMatchObject({ message_id: 'typed-1', 'x-trace': 'abc' });
      expect(await count(pool, `${schema}.cqrs_outbox`, 'published_at IS NULL')).toBe(0);
    } finally {
      for (const [oid, parser] of saved) types.setTypeParser(oid, parser);
    }
  });
});
