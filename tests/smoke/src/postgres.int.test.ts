import pg from 'pg';
import { serviceEnv } from './service-env.js';

// Jest's default of 5 s is too short for a first connection to a service.
const TIMEOUT_MS = 60_000;

describe('PostgreSQL', () => {
  test('round trip through a temporary table', async () => {
    const client = new pg.Client({ connectionString: serviceEnv.postgres.url });
    await client.connect();
    try {
      const one = await client.query<{ n: number }>('select $1::int + 1 as n', [41]);
      expect(one.rows[0]?.n).toBe(42);

      await client.query('create temporary table smoke (id serial primary key, body jsonb not null)');
      await client.query('insert into smoke (body) values ($1)', [{ hello: 'world' }]);
      const rows = await client.query<{ body: unknown }>('select body from smoke');
      expect(rows.rows).toEqual([{ body: { hello: 'world' } }]);
    } finally {
      await client.end();
    }
  }, TIMEOUT_MS);
});
