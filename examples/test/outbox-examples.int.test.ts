import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { main as producing } from '../src/outbox/kafka-outboxed-event-producing';
import { main as saveEvents } from '../src/outbox/save-events-into-outbox';

// jest reads testTimeout only from the root config, not from a project's: set it here.
jest.setTimeout(60_000);

const databaseUrl = process.env.DATABASE_URL || 'postgres://cqrs:cqrs@127.0.0.1:5432/cqrs';
const brokers = process.env.KAFKA_BROKERS || '127.0.0.1:9092';
const schema = `examples_${randomUUID().slice(0, 8)}`;
const pool = new Pool({ connectionString: databaseUrl });

beforeAll(() => {
  for (const method of ['log', 'info'] as const) jest.spyOn(console, method).mockImplementation(() => undefined);
});

afterAll(async () => {
  jest.restoreAllMocks();
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
});

test('saving events into the outbox: four joins, four notification and four ECST events, all in the outbox', async () => {
  await expect(saveEvents({ databaseUrl, schema })).resolves.toEqual({ participants: 4, notificationEvents: 4, ecstEvents: 4 });
});

test('the outboxed event producer publishes the outbox to real Kafka and marks each event', async () => {
  const ids = await producing({ databaseUrl, schema, brokers, topic: `examples-outbox-${randomUUID().slice(0, 8)}` });
  expect(ids).toHaveLength(3);
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM ${schema}.cqrs_outbox WHERE published_at IS NOT NULL AND id = ANY($1)`, [ids]);
  expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
});

test('without Kafka the producer publishes to the in-memory broker', async () => {
  const ids = await producing({ databaseUrl, schema, brokers: undefined });
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.cqrs_outbox WHERE published_at IS NULL`);
  expect(ids).toHaveLength(3);
  expect(Number(rows[0]?.n)).toBe(0);
});
