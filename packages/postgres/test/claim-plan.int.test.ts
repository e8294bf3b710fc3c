import type { PoolClient } from 'pg';
import { CLAIM_SETTINGS, chooseQuery } from '../src/relay/claim-rows';
import { poolWithSchemaPerTest } from './support/pg';
import { type PlanNode, nodesOf } from './support/plan';

jest.setTimeout(60_000);

/** How the plan reads the outbox table. */
function outboxScans(plan: readonly PlanNode[]): string[] {
  return plan.filter((node) => node['Relation Name'] === 'cqrs_outbox').map((node) => node['Node Type']);
}

const isNestedLoop = (node: PlanNode): boolean => node['Node Type'] === 'Nested Loop';

/**
 * The claim's plan on a table PostgreSQL has no statistics for, holding a backlog: the state of
 * a new outbox, or of one last analyzed while nearly empty, when a broker outage ends. Left to itself PostgreSQL guesses a handful of pending rows, reads every one
 * of them with a bitmap scan on each claim and matches keys by nested loops; the claim's
 * settings keep it to the index in order and to hashing.
 */
describe('the claim query plan', () => {
  let schema: string;
  const pool = poolWithSchemaPerTest((created) => (schema = created));

  /** The choice's plan nodes, planned in a transaction after `settings`. */
  async function choicePlan(client: PoolClient, settings: string[]): Promise<PlanNode[]> {
    await client.query('BEGIN');
    try {
      for (const statement of settings) await client.query(statement);
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (FORMAT JSON) ${chooseQuery(`${schema}.cqrs_outbox`, { rows: 500, bytes: 64 * 1024 * 1024 }, 1000)}`,
      );
      const plan = rows[0]?.['QUERY PLAN'][0].Plan;
      if (plan === undefined) throw new Error('EXPLAIN returned no plan');
      return nodesOf(plan);
    } finally {
      await client.query('ROLLBACK');
    }
  }

  // Two backlogs, each a trap on this server: with the larger rows PostgreSQL reads the whole
  // backlog by a bitmap scan, with the smaller ones it matches the thousand window rows against
  // the hundred claimed keys by nested loops (17 ms a claim instead of 1.6).
  test.each([
    { rows: 100_000, payloadBytes: 500 },
    { rows: 20_000, payloadBytes: 150 },
  ])('reads the window from the pending index in order and matches keys by hashing, whatever the statistics say ($rows rows of $payloadBytes bytes)', async ({ rows, payloadBytes }) => {
    // No statistics until the plans are read: autovacuum could otherwise analyze the table between the insert and EXPLAIN.
    await pool.query(`ALTER TABLE ${schema}.cqrs_outbox SET (autovacuum_enabled = false)`);
    await pool.query(
      `INSERT INTO ${schema}.cqrs_outbox (id, aggregatetype, aggregateid, type, payload)
       SELECT 'e-' || n, 'orders', 'k-' || (n % 200), 'order_placed', convert_to(repeat('p', $2), 'UTF8') FROM generate_series(1, $1) n`,
      [rows, payloadBytes],
    );
    const client = await pool.connect();
    try {
      const unguided = await choicePlan(client, []);
      expect(outboxScans(unguided).some((type) => type === 'Bitmap Heap Scan' || type === 'Seq Scan') || unguided.some(isNestedLoop)).toBe(true);

      const claimed = await choicePlan(client, [CLAIM_SETTINGS]);
      expect(outboxScans(claimed).length).toBeGreaterThan(0);
      expect(outboxScans(claimed).every((type) => type === 'Index Scan' || type === 'Index Only Scan')).toBe(true);
      expect(claimed.filter(isNestedLoop)).toEqual([]);
    } finally {
      client.release();
    }
  });
});
