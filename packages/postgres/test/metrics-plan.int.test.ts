import { ConfigurationError } from '@cqrs/core';
import { outboxMetrics } from '@cqrs/postgres';
import { METRICS_SETTINGS, metricsQuery } from '../src/relay/outbox-metrics';
import { poolWithSchemaPerTest } from './support/pg';
import { type PlanNode, nodesOf } from './support/plan';

jest.setTimeout(60_000);

/** Rows the plan's scans of the outbox read: those they returned and those they read and dropped. */
function outboxRowsRead(plan: PlanNode): number {
  return nodesOf(plan)
    .filter((node) => node['Relation Name'] === 'cqrs_outbox')
    .reduce((sum, node) => sum + ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1), 0);
}

/**
 * `outboxMetrics` on an outbox that keeps its published rows (cleanup not due yet) and has a
 * backlog: it reads the pending rows to count them, and neither the published rows nor more
 * than the first pending row for the lag, with the table's statistics and without them (where
 * PostgreSQL, left to itself, counts parked rows by reading every row).
 */
describe('outboxMetrics', () => {
  let schema: string;
  const pool = poolWithSchemaPerTest((created) => (schema = created));

  test.each([{ statistics: true }, { statistics: false }])('reads the pending rows once and the parked ones, never the published ones (statistics: $statistics)', async ({ statistics }) => {
    const published = 20_000;
    const pending = 500;
    const parked = 3;
    await pool.query(
      `INSERT INTO ${schema}.cqrs_outbox (id, aggregatetype, aggregateid, type, payload, created_at, published_at, parked_at, last_error)
       SELECT 'e-' || n, 'orders', 'k-' || (n % 200), 'order_placed', '\\x00'::bytea,
              now() - make_interval(secs => $3 - n),
              CASE WHEN n <= $1 THEN now() END,
              CASE WHEN n > $2 THEN now() END,
              CASE WHEN n > $2 THEN 'refused' END
         FROM generate_series(1, $3::int) n`,
      [published, published + pending, published + pending + parked],
    );
    // Without statistics: autovacuum could otherwise analyze the table before the plan is read.
    await pool.query(statistics ? `ANALYZE ${schema}.cqrs_outbox` : `ALTER TABLE ${schema}.cqrs_outbox SET (autovacuum_enabled = false)`);

    // What outboxMetrics sends, and then the plan of its query under those settings.
    const sent: string[] = [];
    const recording = {
      connect: async () => {
        const client = await pool.connect();
        return Object.assign(Object.create(client) as typeof client, {
          query: (text: string) => {
            sent.push(text);
            return client.query(text);
          },
          release: (destroy?: boolean) => client.release(destroy),
        });
      },
    };
    const metrics = await outboxMetrics(recording, { schema });
    expect(sent).toEqual([`${METRICS_SETTINGS};\n${metricsQuery(`${schema}.cqrs_outbox`)}`]);
    expect(metrics.backlog).toBe(pending);
    expect(metrics.parked).toBe(parked);
    // The first pending row was inserted `pending + parked - 1` seconds ago.
    expect(metrics.lagMs).toBeGreaterThanOrEqual((pending + parked - 1) * 1000);
    expect(metrics.lagMs).toBeLessThan((pending + parked + 60) * 1000);

    const client = await pool.connect();
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(METRICS_SETTINGS);
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${metricsQuery(`${schema}.cqrs_outbox`)}`);
      const plan = rows[0]?.['QUERY PLAN'][0].Plan;
      if (plan === undefined) throw new Error('EXPLAIN returned no plan');
      expect(outboxRowsRead(plan)).toBe(pending + 1 + parked);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  test('counts the backlog up to countUpTo and says when it stopped there', async () => {
    const pending = 30;
    await pool.query(
      `INSERT INTO ${schema}.cqrs_outbox (id, aggregatetype, aggregateid, type, payload)
       SELECT 'e-' || n, 'orders', 'k-' || n, 'order_placed', '\\x00'::bytea FROM generate_series(1, $1::int) n`,
      [pending],
    );
    const backlogOf = async (countUpTo?: number) => {
      const { backlog, backlogCapped } = await outboxMetrics(pool, { schema, ...(countUpTo === undefined ? {} : { countUpTo }) });
      return { backlog, backlogCapped };
    };
    expect(await backlogOf()).toEqual({ backlog: pending, backlogCapped: false });
    expect(await backlogOf(pending)).toEqual({ backlog: pending, backlogCapped: false });
    expect(await backlogOf(pending - 1)).toEqual({ backlog: pending - 1, backlogCapped: true });
    expect(await backlogOf(10)).toEqual({ backlog: 10, backlogCapped: true });
    await expect(outboxMetrics(pool, { schema, countUpTo: 0 })).rejects.toThrow(ConfigurationError);
    await expect(outboxMetrics(pool, { schema, countUpTo: 1.5 })).rejects.toThrow(/countUpTo must be a positive integer/);
  });
});
