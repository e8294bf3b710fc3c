import { NotificationEvent, Request, messageFromEvent, type Next } from '@cqrs/core';
import { NoTransactionError, PgOutbox, PgUnitOfWork, unitOfWorkMiddleware } from '@cqrs/postgres';
import { FakeClient, fakePool } from './fake-client';

class Placed extends NotificationEvent<{ orderId: string }> {}

describe('PgUnitOfWork', () => {
  test('commits after the work, with the connection as transaction.client meanwhile', async () => {
    const client = new FakeClient();
    const uow = new PgUnitOfWork({ pool: fakePool(client) });
    const result = await uow.run(async (c) => {
      expect(c).toBe(client);
      expect(uow.transaction.client).toBe(client);
      await uow.transaction.client.query('INSERT INTO orders');
      return 42;
    });
    expect(result).toBe(42);
    expect(client.verbs).toEqual(['BEGIN', 'INSERT INTO', 'COMMIT']);
    expect(client.released).toEqual([false]);
    expect(uow.transaction.active).toBe(false);
    expect(() => uow.transaction.client).toThrow(NoTransactionError);
  });

  test('rolls back when the work throws, and rethrows its error', async () => {
    const client = new FakeClient();
    const uow = new PgUnitOfWork({ pool: fakePool(client), isolationLevel: 'serializable' });
    await expect(uow.run(() => Promise.reject(new Error('declined')))).rejects.toThrow('declined');
    expect(client.verbs).toEqual(['BEGIN ISOLATION', 'ROLLBACK']);
    expect(client.released).toEqual([false]);
  });

  test('a connection that cannot roll back is destroyed, not returned', async () => {
    const client = new FakeClient();
    client.failOn = /ROLLBACK/;
    const uow = new PgUnitOfWork({ pool: fakePool(client) });
    await expect(uow.run(() => Promise.reject(new Error('declined')))).rejects.toThrow('declined');
    expect(client.released).toEqual([true]);
  });

  test('a run inside a run joins the outer transaction', async () => {
    const client = new FakeClient();
    const pool = fakePool(client);
    const uow = new PgUnitOfWork({ pool });
    await uow.run(() => uow.run(async () => undefined));
    expect(pool.connects).toBe(1);
    expect(client.verbs).toEqual(['BEGIN', 'COMMIT']);
  });

  test('concurrent runs never see each other’s connection', async () => {
    const a = new FakeClient();
    const b = new FakeClient();
    const clients = [a, b];
    const uow = new PgUnitOfWork({ pool: { connect: async () => clients.shift()! } });
    const seen = await Promise.all(
      [1, 2].map((n) =>
        uow.run(async (client) => {
          await new Promise((resolve) => setTimeout(resolve, 5 * n));
          return uow.transaction.client === client;
        }),
      ),
    );
    expect(seen).toEqual([true, true]);
  });
});

describe('unitOfWorkMiddleware', () => {
  class Query extends Request<number> {}
  class Command extends Request<number> {}

  test('wraps the sends it is told to, and passes the others through', async () => {
    const client = new FakeClient();
    const uow = new PgUnitOfWork({ pool: fakePool(client) });
    const middleware = unitOfWorkMiddleware(uow, { when: (m) => m instanceof Command });
    const next: Next = async () => (uow.transaction.active ? 1 : 0);
    expect(await middleware(new Command(), next)).toBe(1);
    expect(await middleware(new Query(), next)).toBe(0);
    expect(client.verbs).toEqual(['BEGIN', 'COMMIT']);
  });
});

describe('PgOutbox', () => {
  test('inserts every message of a batch in one statement, with the stored bytes and headers', async () => {
    const client = new FakeClient();
    const uow = new PgUnitOfWork({ pool: fakePool(client) });
    const outbox = new PgOutbox({ transaction: uow.transaction, schema: 'app' });
    const events = [1, 2].map((n) => new Placed({ eventName: 'placed', topic: 'orders', key: `k-${n}`, payload: { orderId: `o-${n}` } }));
    await uow.run(() => outbox.save(events.map((e) => messageFromEvent(e, { trace: 't-1' }))));
    const insert = client.statements[1]!;
    expect(insert.text).toMatch(/^INSERT INTO app\.cqrs_outbox \(id, aggregatetype, aggregateid, type, payload, content_type, value_type, headers\) VALUES \(\$1,.*\$16\)$/);
    const values = insert.values!;
    expect(values.slice(0, 4)).toEqual([events[0]!.eventId, 'orders', 'k-1', 'placed']);
    expect(Buffer.isBuffer(values[4])).toBe(true);
    expect(values.slice(5, 8)).toEqual(['application/json', null, { 'content-type': 'application/json', trace: 't-1', message_name: 'placed', message_id: events[0]!.eventId }]);
  });

  test('refuses a schema name that would need quoting', () => {
    const uow = new PgUnitOfWork({ pool: fakePool(new FakeClient()) });
    expect(() => new PgOutbox({ transaction: uow.transaction, schema: 'app; drop table x' })).toThrow(/schema must match/);
  });
});
