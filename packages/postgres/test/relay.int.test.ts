import { silentLogger } from '@cqrs/core';
import { OutboxRelay, cleanupOutbox, outboxMetrics, requeueParked } from '@cqrs/postgres';
import { unique, waitFor } from '@cqrs/test-fixtures';
import { collect, countById, createTopic, relayBroker, type Received } from './support/kafka';
import { PlaceOrder, ordersApp } from './support/orders';
import { count, dropSchema, freshSchema, newPool } from './support/pg';

jest.setTimeout(120_000);

describe('OutboxRelay to Kafka', () => {
  const pool = newPool(20);
  const broker = relayBroker();
  let schema: string;
  let topic: string;
  let stopCollecting: (() => Promise<void>) | undefined;
  const relays: OutboxRelay[] = [];

  beforeEach(async () => {
    schema = await freshSchema(pool);
    topic = unique('pg_outbox');
    await createTopic(topic, 3);
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await stopCollecting?.();
    stopCollecting = undefined;
    await dropSchema(pool, schema);
  });
  afterAll(async () => {
    await broker.close();
    await pool.end();
  });

  async function consume(): Promise<Received[]> {
    const { records, stop } = await collect(topic);
    stopCollecting = stop;
    return records;
  }

  function relay(options: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}): OutboxRelay {
    const created = new OutboxRelay({ pool, broker, schema, logger: silentLogger, ...options });
    relays.push(created);
    return created;
  }

  test('publishes a committed event with its key, headers and stored bytes, woken by NOTIFY rather than the poll', async () => {
    const records = await consume();
    // An hour between polls: only the trigger's notification can wake this relay in time.
    await relay({ pollIntervalMs: 3_600_000 }).start();
    const { mediator } = ordersApp(pool, schema);
    await mediator.send(new PlaceOrder(schema, topic, 'o-1', 'c-1', 1));
    await waitFor(() => records.length === 1, 'the event on Kafka');
    const { rows } = await pool.query<{ id: string; payload: Buffer; published_at: Date | null }>(`SELECT id, payload, published_at FROM ${schema}.cqrs_outbox`);
    const row = rows[0]!;
    const record = records[0]!;
    expect(record.key).toBe('c-1');
    expect(record.value?.equals(row.payload)).toBe(true);
    expect(record.headers).toEqual({ 'content-type': 'application/json', message_name: 'order_placed', message_id: row.id });
    await waitFor(async () => (await count(pool, `${schema}.cqrs_outbox`, 'published_at IS NOT NULL')) === 1, 'the row marked published');
  });

  test.each([
    [2, 'mark'],
    [4, 'mark'],
    [2, 'delete'],
  ] as const)('%i relays at once publish each row once and keep each key’s order (onPublished: %s)', async (relayCount, onPublished) => {
    const records = await consume();
    await Promise.all(Array.from({ length: relayCount }, () => relay({ batchSize: 50, pollIntervalMs: 200, onPublished }).start()));
    const { mediator } = ordersApp(pool, schema);
    const customers = 12;
    const perCustomer = 50;
    // Each customer's commands go one after another (their order), customers concurrently.
    await Promise.all(
      Array.from({ length: customers }, async (_, c) => {
        for (let n = 0; n < perCustomer; n += 1) await mediator.send(new PlaceOrder(schema, topic, `o-${c}-${n}`, `c-${c}`, n));
      }),
    );
    const total = customers * perCustomer;
    await waitFor(() => countById(records).size === total, () => `${total} distinct events on Kafka, have ${countById(records).size}`);
    if (onPublished === 'mark') await waitFor(async () => (await count(pool, `${schema}.cqrs_outbox`, 'published_at IS NOT NULL')) === total, 'every row marked');
    else await waitFor(async () => (await count(pool, `${schema}.cqrs_outbox`)) === 0, 'every row deleted');
    const counts = countById(records);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]); // each row once
    expect(records).toHaveLength(total);
    // Per key, the partition order is the command order.
    const byKey = new Map<string, number[]>();
    for (const record of [...records].sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))) {
      const n = (JSON.parse(record.value!.toString('utf8')) as { payload: { n: number } }).payload.n;
      byKey.set(record.key!, [...(byKey.get(record.key!) ?? []), n]);
    }
    expect(byKey.size).toBe(customers);
    for (const ns of byKey.values()) expect(ns).toEqual(Array.from({ length: perCustomer }, (_, n) => n));
    expect(relays.reduce((sum, r) => sum + r.stats.published, 0)).toBe(total);
  });

  test.each(['mark', 'delete'] as const)('a row the broker refuses is retried with backoff, then parked with its error; the rest go on (onPublished: %s)', async (onPublished) => {
    const records = await consume();
    const { mediator } = ordersApp(pool, schema);
    await mediator.send(new PlaceOrder(schema, topic, 'o-good-1', 'c-1'));
    // Kafka refuses this topic name, whatever the client does.
    await mediator.send(new PlaceOrder(schema, 'not a valid topic!', 'o-bad', 'c-2'));
    await mediator.send(new PlaceOrder(schema, topic, 'o-good-2', 'c-3'));
    await relay({ maxAttempts: 3, backoff: () => 20, pollIntervalMs: 50, onPublished }).start();
    await waitFor(() => records.length === 2, 'the two good events');
    await waitFor(async () => (await count(pool, `${schema}.cqrs_outbox`, 'parked_at IS NOT NULL')) === 1, 'the bad row parked');
    // The good rows are taken as `onPublished` says; the bad one stays, parked.
    expect(await count(pool, `${schema}.cqrs_outbox`, 'published_at IS NOT NULL')).toBe(onPublished === 'mark' ? 2 : 0);
    expect(await count(pool, `${schema}.cqrs_outbox`)).toBe(onPublished === 'mark' ? 3 : 1);
    const { rows } = await pool.query<{ attempts: number; last_error: string }>(`SELECT attempts, last_error FROM ${schema}.cqrs_outbox WHERE parked_at IS NOT NULL`);
    expect(rows[0]!.attempts).toBe(3);
    expect(rows[0]!.last_error.length).toBeGreaterThan(0);
    expect(await outboxMetrics(pool, { schema })).toEqual({ backlog: 0, backlogCapped: false, lagMs: 0, parked: 1 });
    expect(await requeueParked(pool, { schema })).toBe(1);
    expect((await outboxMetrics(pool, { schema })).backlog).toBe(1);
  });

  test('metrics show backlog and lag while nothing relays; cleanup deletes published rows only', async () => {
    const { mediator } = ordersApp(pool, schema);
    for (let i = 0; i < 5; i += 1) await mediator.send(new PlaceOrder(schema, topic, `o-${i}`, 'c-1', i));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const waiting = await outboxMetrics(pool, { schema });
    expect(waiting.backlog).toBe(5);
    expect(waiting.lagMs).toBeGreaterThan(0);
    const once = relay();
    expect(await once.runOnce()).toBe(5);
    expect((await outboxMetrics(pool, { schema })).backlog).toBe(0);
    await mediator.send(new PlaceOrder(schema, topic, 'o-late', 'c-2'));
    expect(await cleanupOutbox(pool, { schema, olderThanMs: 0, batchSize: 2 })).toBe(5);
    expect(await count(pool, `${schema}.cqrs_outbox`)).toBe(1);
  });

  test('stop() finishes the cycle in progress: what reached Kafka is exactly what was marked published', async () => {
    const records = await consume();
    const { mediator } = ordersApp(pool, schema);
    const running = relay({ batchSize: 10, pollIntervalMs: 20 });
    await running.start();
    for (let i = 0; i < 200; i += 1) await mediator.send(new PlaceOrder(schema, topic, `o-${i}`, `c-${i % 7}`, i));
    await running.stop();
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM ${schema}.cqrs_outbox WHERE published_at IS NOT NULL`);
    expect(rows.length).toBeGreaterThan(0);
    await waitFor(() => countById(records).size >= rows.length, 'the marked rows on Kafka');
    expect(new Set(countById(records).keys())).toEqual(new Set(rows.map((r) => r.id)));
  });
});
