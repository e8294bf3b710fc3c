import type { PgPool, PgPoolClient } from '../pg-client';
import { PgTransaction } from './pg-transaction';

/** Options of `PgUnitOfWork`. */
export interface PgUnitOfWorkOptions<C extends PgPoolClient> {
  readonly pool: PgPool<C>;
  /** The context handlers read the connection from; default a new one (`unitOfWork.transaction`). */
  readonly transaction?: PgTransaction<C>;
  /** `BEGIN ISOLATION LEVEL ...`; default the server's (read committed). */
  readonly isolationLevel?: 'read committed' | 'repeatable read' | 'serializable';
}

/**
 * One database transaction around a piece of work [unit of work]: `run` checks a connection
 * out of the pool, `BEGIN`s, runs the work with that connection as `transaction.client`,
 * `COMMIT`s when it resolves and `ROLLBACK`s when it throws. A `run` inside another joins the
 * outer transaction, so a command handler, the domain events it raises and the outbox rows
 * they produce commit together.
 */
export class PgUnitOfWork<C extends PgPoolClient = PgPoolClient> {
  /** The context that carries the connection; inject it into handlers. */
  readonly transaction: PgTransaction<C>;
  readonly #pool: PgPool<C>;
  readonly #begin: string;

  constructor(options: PgUnitOfWorkOptions<C>) {
    this.#pool = options.pool;
    this.transaction = options.transaction ?? new PgTransaction<C>();
    this.#begin = options.isolationLevel === undefined ? 'BEGIN' : `BEGIN ISOLATION LEVEL ${options.isolationLevel.toUpperCase()}`;
  }

  /** Runs `work` in a transaction (or in the enclosing one) and resolves to its result. */
  async run<T>(work: (client: C) => Promise<T> | T): Promise<T> {
    if (this.transaction.active) return work(this.transaction.client);
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query(this.#begin);
      const result = await this.transaction.run(client, async () => work(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        // A connection that cannot roll back is not returned to the pool.
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
