import { MigrationError } from '../errors';
import type { PgPool } from '../pg-client';
import { checkSchema } from '../schema-name';
import { migrations, type Migration } from './migrations';

/** Options of `migrate`. */
export interface MigrateOptions {
  /** The schema the tables go in, created when missing; default `public`. */
  readonly schema?: string;
  /** Default: the migrations this package ships. */
  readonly migrations?: readonly Migration[];
}

/**
 * Applies the migrations not applied yet to `schema`, in one transaction, and resolves to the
 * names it applied. Concurrent callers (several instances starting at once) wait for each
 * other on an advisory lock, so each migration runs once. A failure rolls everything back and
 * rejects with `MigrationError`.
 */
export async function migrate(pool: PgPool, options: MigrateOptions = {}): Promise<string[]> {
  const schema = checkSchema(options.schema);
  const client = await pool.connect();
  const applied: string[] = [];
  let current = 'setup';
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`@cqrs/postgres migrate ${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`SET LOCAL search_path TO ${schema}`);
    await client.query('CREATE TABLE IF NOT EXISTS cqrs_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM cqrs_migrations')).rows.map((row) => row.name));
    for (const migration of [...(options.migrations ?? migrations)].sort((a, b) => a.name.localeCompare(b.name))) {
      if (done.has(migration.name)) continue;
      current = migration.name;
      await client.query(migration.sql);
      await client.query('INSERT INTO cqrs_migrations (name) VALUES ($1)', [migration.name]);
      applied.push(migration.name);
    }
    await client.query('COMMIT');
    client.release();
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(true);
    throw new MigrationError(current, error);
  }
}
