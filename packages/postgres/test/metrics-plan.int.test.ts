import { outboxMetrics } from '@cqrs/postgres';
import { metricsQuery } from '../src/relay/outbox-metrics';
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
 * than the first pending row for the lag.
 */
describe('outboxMetrics', () => {
  let schema: string;
  const pool = poolWithSchemaPerTest((created) => (schema = created));

  test('reads the pending rows once and the parked ones, never the published ones', async () => {
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
    await pool.query(`ANALYZE ${schema}.cqrs_outbox`);

    const metrics = await outboxMetrics(pool, { schema });
    expect(metrics.backlog).toBe(pending);
    expect(metrics.parked).toBe(parked);
    // The first pending row was inserted `pending + parked - 1` seconds ago.
    expect(metrics.lagMs).toBeGreaterThanOrEqual((pending + parked - 1) * 1000);
    expect(metrics.lagMs).toBeLessThan((pending + parked + 60) * 1000);

    const { rows } = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${metricsQuery(`${schema}.cqrs_outbox`)}`);
    const plan = rows[0]?.['QUERY PLAN'][0].Plan;
    if (plan === undefined) throw new Error('EXPLAIN returned no plan');
    expect(outboxRowsRead(plan)).toBe(pending + 1 + parked);
  });
});
