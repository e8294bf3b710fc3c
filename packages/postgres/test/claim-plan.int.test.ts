import type { PoolClient } from 'pg';
import { CLAIM_SETTINGS, chooseQuery } from '../src/relay/claim-rows';
import { poolWithSchemaPerTest } from './support/pg';

jest.setTimeout(60_000);

/** A plan node of `EXPLAIN (FORMAT JSON)`, with what this test reads of it. */
interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

/** Every node of a plan, depth first. */
function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/**
 * The claim's plan on a table PostgreSQL has no statistics for, holding a backlog of 100,000
 * rows: the state of a new outbox, or of one last analyzed while nearly empty, when a broker
 * outage ends. Left to itself PostgreSQL guesses a handful of pending rows and reads every one
 * of them with a bitmap scan on each claim; the claim's settings keep it to the index in order.
 */
describe('the claim query plan', () => {
  let schema: string;
  const pool = poolWithSchemaPerTest((created) => (schema = created));

  /** How the choice's statement scans the outbox table, planned in a transaction after `settings`. */
  async function outboxScans(client: PoolClient, settings: string[]): Promise<string[]> {
    await client.query('BEGIN');
    try {
      for (const statement of settings) await client.query(statement);
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (FORMAT JSON) ${chooseQuery(`${schema}.cqrs_outbox`, { rows: 500, bytes: 64 * 1024 * 1024 }, 1000)}`,
      );
      const plan = rows[0]?.['QUERY PLAN'][0].Plan;
      if (plan === undefined) throw new Error('EXPLAIN returned no plan');
      return nodesOf(plan)
        .filter((node) => node['Relation Name'] === 'cqrs_outbox')
        .map((node) => node['Node Type']);
    } finally {
      await client.query('ROLLBACK');
    }
  }

  test('reads the window from the pending index in order, whatever the statistics say', async () => {
    await pool.query(
      `INSERT INTO ${schema}.cqrs_outbox (id, aggregatetype, aggregateid, type, payload)
       SELECT 'e-' || n, 'orders', 'k-' || (n % 200), 'order_placed', convert_to(repeat('p', 500), 'UTF8') FROM generate_series(1, 100000) n`,
    );
    const client = await pool.connect();
    try {
      // The trap is real on this server: without the settings, the window is a bitmap (or full) scan.
      const unguided = await outboxScans(client, []);
      expect(unguided.some((type) => type === 'Bitmap Heap Scan' || type === 'Seq Scan')).toBe(true);

      const claimed = await outboxScans(client, [CLAIM_SETTINGS]);
      expect(claimed.length).toBeGreaterThan(0);
      expect(claimed.every((type) => type === 'Index Scan' || type === 'Index Only Scan')).toBe(true);
    } finally {
      client.release();
    }
  });
});
