import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@cqrs/core';
import { OutboxRelay } from '@cqrs/postgres';
import { unique, waitFor } from '@cqrs/test-fixtures';
import { startChild, type Child } from './support/child';
import { collect, countById, createTopic, relayBroker } from './support/kafka';
import { count, dropSchema, freshSchema, newPool } from './support/pg';

jest.setTimeout(120_000);

describe('an app SIGKILLed between commit and publish', () => {
  const pool = newPool();
  let dir: string;
  let schema: string;
  let child: Child | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pg-crash-'));
    schema = await freshSchema(pool);
  });
  afterAll(async () => {
    await child?.kill();
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(pool, schema);
    await pool.end();
  });

  test('loses no committed event: the relay publishes every one after the restart', async () => {
    const topic = unique('pg_crash');
    await createTopic(topic, 3);
    const running = (child = startChild(dir, 'crash-app', { CRASH_SCHEMA: schema, CRASH_TOPIC: topic }));
    const committed = (): number => running.lines.filter((line) => line.startsWith('committed ')).length;
    await waitFor(async () => committed() >= 300 && (await count(pool, `${schema}.cqrs_outbox`, 'published_at IS NOT NULL')) > 0, () => `300 commits and a first publication (stderr: ${running.stderr()})`);
    expect(await running.kill()).toBe('SIGKILL');

    // After the kill: every order that committed has its event, and some were never published.
    const orders = await count(pool, `${schema}.orders`);
    const rows = (await pool.query<{ id: string }>(`SELECT id FROM ${schema}.cqrs_outbox`)).rows.map((r) => r.id);
    expect(rows).toHaveLength(orders);
    expect(orders).toBeGreaterThanOrEqual(committed());
    const unpublished = await count(pool, `${schema}.cqrs_outbox`, 'published_at IS NULL');
    expect(unpublished).toBeGreaterThan(0);

    // The restarted relay publishes the rest.
    const { records, stop } = await collect(topic);
    const broker = relayBroker();
    const relay = new OutboxRelay({ pool, broker, schema, logger: silentLogger });
    try {
      await relay.start();
      await waitFor(() => rows.every((id) => countById(records).has(id)), () => `all ${rows.length} committed events on Kafka, have ${countById(records).size}`);
      const counts = countById(records);
      const lost = rows.filter((id) => !counts.has(id)).length;
      const duplicated = [...counts.values()].filter((n) => n > 1).length;
      expect(lost).toBe(0);
      // At least once: only the batches in flight at the kill may go out twice (2 cycles × 20 rows in the app).
      expect(duplicated).toBeLessThanOrEqual(40);
      process.stdout.write(`crash test: ${rows.length} committed, ${unpublished} unpublished at the kill, ${lost} lost, ${duplicated} published twice\n`);
    } finally {
      await relay.stop();
      await broker.close();
      await stop();
    }
  });
});
