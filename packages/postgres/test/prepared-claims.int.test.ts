import { InMemoryMessageBroker, encodedValueSerializer, silentLogger, type Logger } from '@cqrs/core';
import { OutboxRelay } from '@cqrs/postgres';
import type { Pool } from 'pg';
import { count, newPool, poolWithSchemaPerTest } from './support/pg';

jest.setTimeout(60_000);

const TOPIC = 'prepared';
const ROWS = 30;

/**
 * The claim's prepared statements on the real PostgreSQL. Each pool here has one connection, so
 * the statements a test reads from `pg_prepared_statements` are the relay's connection's.
 */
describe('OutboxRelay prepared claims', () => {
  let schema: string;
  const pool = poolWithSchemaPerTest((created) => (schema = created), 1);
  beforeEach(async () => {
    await pool.query('DEALLOCATE ALL');
  });

  async function backlog(): Promise<void> {
    await pool.query(
      `INSERT INTO ${schema}.cqrs_outbox (id, aggregatetype, aggregateid, type, payload)
       SELECT 'e-' || n, $1, 'k' || (n % 3), 'e', convert_to(n::text, 'UTF8') FROM generate_series(1, ${ROWS}) n`,
      [TOPIC],
    );
  }

  /** The relay's prepared statements on the pool's one connection, with how often each ran from its cached plan. */
  async function preparedOn(on: Pool): Promise<{ name: string; generic_plans: string }[]> {
    const { rows } = await on.query<{ name: string; generic_plans: string }>(`SELECT name, generic_plans FROM pg_prepared_statements WHERE name LIKE 'cqrs_outbox_%' ORDER BY name`);
    return rows;
  }

  function relayOn(on: Pool, broker: InMemoryMessageBroker, options: { prepareStatements?: boolean; logger?: Logger } = {}): OutboxRelay {
    return new OutboxRelay({ pool: on, broker, schema, logger: silentLogger, batchSize: 4, listen: false, ...options });
  }

  async function drain(relay: OutboxRelay): Promise<number> {
    let cycles = 0;
    while ((await relay.runOnce()) > 0) cycles += 1;
    return cycles;
  }

  const distinctIds = (broker: InMemoryMessageBroker): number => new Set(broker.records(TOPIC).map((record) => record.headers.message_id)).size;

  test('prepares the choice and the take with the first claim; every later claim runs their cached plans', async () => {
    await backlog();
    const broker = new InMemoryMessageBroker({ valueSerializer: encodedValueSerializer() });
    const cycles = await drain(relayOn(pool, broker));
    expect(cycles).toBeGreaterThan(5);
    const prepared = await preparedOn(pool);
    expect(prepared).toHaveLength(2);
    // The first claim prepares and plans; each claim after it, and the last empty one, runs the plans.
    for (const { generic_plans } of prepared) expect(Number(generic_plans)).toBe(cycles + 1);
    expect(broker.records(TOPIC)).toHaveLength(ROWS);
    expect(await count(pool, `${schema}.cqrs_outbox`, 'published_at IS NULL')).toBe(0);
  });

  test('a pool that wraps its connection in a new object per checkout: the statements are found prepared, not prepared again', async () => {
    await backlog();
    const broker = new InMemoryMessageBroker({ valueSerializer: encodedValueSerializer() });
    const warnings: string[] = [];
    const wrapping = {
      connect: async () => {
        const client = await pool.connect();
        return Object.assign(Object.create(client) as typeof client, { query: client.query.bind(client) });
      },
    };
    const relay = new OutboxRelay({ pool: wrapping, broker, schema, logger: { ...silentLogger, warn: (message) => warnings.push(message) }, batchSize: 4, listen: false });
    const cycles = await drain(relay);
    const prepared = await preparedOn(pool);
    expect(prepared).toHaveLength(2);
    for (const { generic_plans } of prepared) expect(Number(generic_plans)).toBe(cycles + 1);
    expect(warnings).toEqual([]);
    expect(distinctIds(broker)).toBe(ROWS);
  });

  test('prepareStatements: false claims with plain statements', async () => {
    await backlog();
    const broker = new InMemoryMessageBroker({ valueSerializer: encodedValueSerializer() });
    await drain(relayOn(pool, broker, { prepareStatements: false }));
    expect(await preparedOn(pool)).toEqual([]);
    expect(broker.records(TOPIC)).toHaveLength(ROWS);
  });

  /**
   * What a connection holds can change behind the relay: `DEALLOCATE ALL` (or `DISCARD ALL`)
   * drops its statements; behind a pooler in transaction mode the next transaction runs on a
   * server connection where another client prepared a statement of that name, or none did; and
   * a migration can change the type of a column the take returns.
   */
  test.each([
    ['DEALLOCATE ALL dropped them', '26000', 'dropped'],
    ['another client prepared that name', '42P05', 'taken'],
    ['a returned column changed type', '0A000', 'altered'],
  ] as const)('prepared statements that no longer fit (%s, SQLSTATE %s): one cycle fails, one warning, then plain statements, each row once', async (_case, code, change) => {
    await backlog();
    const broker = new InMemoryMessageBroker({ valueSerializer: encodedValueSerializer() });
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    const other = newPool(1);
    try {
      let relay: OutboxRelay;
      if (change !== 'taken') {
        relay = relayOn(pool, broker, { logger });
        expect(await relay.runOnce()).toBe(4);
        await pool.query(change === 'dropped' ? 'DEALLOCATE ALL' : `ALTER TABLE ${schema}.cqrs_outbox ALTER COLUMN aggregateid TYPE varchar(200)`);
      } else {
        // A first relay prepares on `pool`; the names are then taken on `other`'s connection before its relay starts.
        expect(await relayOn(pool, broker).runOnce()).toBe(4);
        for (const { name } of await preparedOn(pool)) await other.query(`PREPARE ${name} AS SELECT 1`);
        relay = relayOn(other, broker, { logger });
      }
      await expect(relay.runOnce()).rejects.toMatchObject({ code });
      await drain(relay);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/plain statements/);
      expect(broker.records(TOPIC)).toHaveLength(ROWS);
      expect(distinctIds(broker)).toBe(ROWS);
      // Nothing prepared again after the warning.
      expect(await preparedOn(change === 'taken' ? other : pool)).toHaveLength(change === 'dropped' ? 0 : 2);
    } finally {
      await other.end();
    }
  });
});
