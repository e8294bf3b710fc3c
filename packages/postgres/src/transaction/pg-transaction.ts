import { AsyncLocalStorage } from 'node:async_hooks';
import { NoTransactionError } from '../errors';
import type { PgQueryable } from '../pg-client';

/**
 * The current unit of work's connection, for code that runs inside it (handlers, the outbox,
 * the inbox). Register one instance in the DI container and inject it: `client` is the
 * connection of the transaction that `PgUnitOfWork.run` opened for the current `send()` or
 * message, carried by an `AsyncLocalStorage`, so it follows every await and never leaks into
 * a concurrent request. Outside a unit of work `client` throws `NoTransactionError`.
 */
export class PgTransaction<C extends PgQueryable = PgQueryable> {
  readonly #storage = new AsyncLocalStorage<C>();

  /** The connection of the current transaction; throws `NoTransactionError` outside one. */
  get client(): C {
    const client = this.#storage.getStore();
    if (client === undefined) throw new NoTransactionError('PgTransaction.client');
    return client;
  }

  /** Whether the caller runs inside a unit of work. */
  get active(): boolean {
    return this.#storage.getStore() !== undefined;
  }

  /** Runs `work` with `client` as the current connection (used by `PgUnitOfWork`). */
  run<T>(client: C, work: () => Promise<T>): Promise<T> {
    return this.#storage.run(client, work);
  }
}
