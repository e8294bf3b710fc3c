import type { Inbox, InboxOutcome } from '@cqrs/core';
import type { PgPoolClient } from '../pg-client';
import { checkSchema } from '../schema-name';
import type { PgUnitOfWork } from '../transaction/pg-unit-of-work';

/** Options of `PgInbox`. */
export interface PgInboxOptions<C extends PgPoolClient> {
  /** The unit of work whose transaction records the id and runs the handler. */
  readonly unitOfWork: PgUnitOfWork<C>;
  /** Names the consuming service or group: ids are unique per consumer; default `default`. */
  readonly consumer?: string;
  /** Schema of `cqrs_inbox`; default `public`. */
  readonly schema?: string;
}

/** Thrown inside the transaction to roll back a duplicate's empty work; never leaves `once`. */
class Duplicate extends Error {}

/**
 * The PostgreSQL inbox [InboxProcessor]: `once` opens a transaction (or joins the current
 * one), inserts `(consumer, message_id)` into `cqrs_inbox`, and runs the work with the same
 * connection as `transaction.client`; the id commits with the handler's writes. A recorded
 * id resolves `{ duplicate: true }` without running the work; a second delivery arriving
 * while the first is still running waits on the primary key and then sees it as a duplicate,
 * or runs if the first rolled back.
 */
export class PgInbox<C extends PgPoolClient = PgPoolClient> implements Inbox {
  readonly #unitOfWork: PgUnitOfWork<C>;
  readonly #consumer: string;
  readonly #insert: string;

  constructor(options: PgInboxOptions<C>) {
    this.#unitOfWork = options.unitOfWork;
    this.#consumer = options.consumer ?? 'default';
    this.#insert = `INSERT INTO ${checkSchema(options.schema)}.cqrs_inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`;
  }

  async once<T>(messageId: string, work: () => Promise<T>): Promise<InboxOutcome<T>> {
    try {
      return await this.#unitOfWork.run(async (client) => {
        const inserted = await client.query(this.#insert, [this.#consumer, messageId]);
        if (inserted.rowCount === 0) throw new Duplicate();
        return { duplicate: false, result: await work() } as const;
      });
    } catch (error) {
      if (error instanceof Duplicate) return { duplicate: true };
      throw error;
    }
  }
}
