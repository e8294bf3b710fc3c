import { unique } from '@cqrs/test-fixtures';
import { Pool } from 'pg';
import { migrate } from '@cqrs/postgres';

/** `scripts/services env`'s DATABASE_URL, loopback default. */
export const databaseUrl = process.env.DATABASE_URL?.trim() || 'postgres://cqrs:cqrs@127.0.0.1:5432/cqrs';

/** A pool on the test database. */
export function newPool(max = 10): Pool {
  return new Pool({ connectionString: databaseUrl, max });
}

/** A schema no other test uses, migrated, with an `orders` table for the handlers' own writes. */
export async function freshSchema(pool: Pool): Promise<string> {
  const schema = unique('t').replace(/-/g, '_').toLowerCase();
  await migrate(pool, { schema });
  await pool.query(`CREATE TABLE ${schema}.orders (id text PRIMARY KEY, amount integer NOT NULL)`);
  return schema;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/** Counts rows of a table. */
export async function count(pool: Pool, table: string, where = 'true'): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * A pool whose tests each get a fresh schema (handed to `use` before the test) that is dropped
 * after it; the pool ends after the last test. Call it in a `describe` body.
 */
export function poolWithSchemaPerTest(use: (schema: string) => void, max = 10): Pool {
  const pool = newPool(max);
  let current: string | undefined;
  beforeEach(async () => {
    current = await freshSchema(pool);
    use(current);
  });
  afterEach(async () => {
    if (current !== undefined) await dropSchema(pool, current);
    current = undefined;
  });
  afterAll(async () => {
    await pool.end();
  });
  return pool;
}

