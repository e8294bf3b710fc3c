import type { PgPool, PgPoolClient, PgQueryResult } from '@cqrs/postgres';

/** A connection that records every statement, for unit tests without a server. */
export class FakeClient implements PgPoolClient {
  readonly statements: { text: string; values: readonly unknown[] | undefined }[] = [];
  released: (Error | boolean | undefined)[] = [];
  failOn: RegExp | undefined;

  async query<R>(text: string, values?: readonly unknown[]): Promise<PgQueryResult<R>> {
    this.statements.push({ text, values });
    if (this.failOn?.test(text) === true) throw new Error(`refused: ${text}`);
    return { rows: [], rowCount: 1 };
  }

  release(error?: Error | boolean): void {
    this.released.push(error);
  }

  /** The statements' texts, trimmed to their first word or two. */
  get verbs(): string[] {
    return this.statements.map((s) => s.text.split(' ').slice(0, 2).join(' '));
  }
}

/** A pool handing out one fake client. */
export function fakePool(client: FakeClient): PgPool<FakeClient> & { connects: number } {
  const pool = {
    connects: 0,
    async connect(): Promise<FakeClient> {
      pool.connects += 1;
      return client;
    },
  };
  return pool;
}
