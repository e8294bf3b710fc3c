import { NoTransactionError, MigrationError, migrate, PgOutbox, PgTransaction, migrations } from '@cqrs/postgres';
import { messageFromEvent } from '@cqrs/core';
import { count, dropSchema, poolWithSchemaPerTest } from './support/pg';
import { OrderPlaced, PlaceOrder, ordersApp } from './support/orders';

jest.setTimeout(60_000);

describe('the outbox on PostgreSQL', () => {
  let schema: string;
  const pool = poolWithSchemaPerTest((created) => (schema = created));

  test('a command’s state and its event commit together, with the bytes and headers that go on the wire', async () => {
    const { mediator } = ordersApp(pool, schema);
    await expect(mediator.send(new PlaceOrder(schema, 'orders', 'o-1', 'c-1', 5))).resolves.toBe('o-1');
    expect(await count(pool, `${schema}.orders`)).toBe(1);
    const { rows } = await pool.query(`SELECT * FROM ${schema}.cqrs_outbox`);
    expect(rows).toHaveLength(1);
    const row = rows[0] as { id: string; aggregatetype: string; aggregateid: string; type: string; payload: Buffer; content_type: string; headers: Record<string, string>; published_at: Date | null };
    expect(row).toMatchObject({ aggregatetype: 'orders', aggregateid: 'c-1', type: 'order_placed', content_type: 'application/json', published_at: null });
    expect(row.headers).toEqual({ 'content-type': 'application/json', message_name: 'order_placed', message_id: row.id });
    expect(JSON.parse(row.payload.toString('utf8'))).toMatchObject({ event_id: row.id, event_name: 'order_placed', payload: { orderId: 'o-1', customer: 'c-1', n: 5 } });
  });

  test('a handler that throws leaves neither its writes nor an outbox row', async () => {
    const { mediator } = ordersApp(pool, schema);
    await expect(mediator.send(new PlaceOrder(schema, 'orders', 'o-2', 'c-1', 1, true))).rejects.toThrow('order o-2 refused');
    expect(await count(pool, `${schema}.orders`)).toBe(0);
    expect(await count(pool, `${schema}.cqrs_outbox`)).toBe(0);
  });

  test('a failing insert of the events rolls back the handler’s writes', async () => {
    const { mediator } = ordersApp(pool, schema);
    await mediator.send(new PlaceOrder(schema, 'orders', 'o-3', 'c-1'));
    // Same order id again: the handler's own insert fails on the primary key, nothing else lands.
    await expect(mediator.send(new PlaceOrder(schema, 'orders', 'o-3', 'c-1'))).rejects.toThrow(/duplicate key/);
    expect(await count(pool, `${schema}.cqrs_outbox`)).toBe(1);
  });

  test('saving outside a unit of work is refused', async () => {
    const outbox = new PgOutbox({ transaction: new PgTransaction(), schema });
    const event = new OrderPlaced({ eventName: 'order_placed', topic: 'orders', payload: { orderId: 'o', customer: 'c', n: 0 } });
    await expect(outbox.save([messageFromEvent(event)])).rejects.toBeInstanceOf(NoTransactionError);
  });

  test('concurrent sends each get their own transaction', async () => {
    const { mediator } = ordersApp(pool, schema);
    const sends = Array.from({ length: 40 }, (_, i) => mediator.send(new PlaceOrder(schema, 'orders', `o-${i}`, `c-${i % 4}`, i, i % 5 === 0)));
    const settled = await Promise.allSettled(sends);
    const ok = settled.filter((s) => s.status === 'fulfilled').length;
    expect(ok).toBe(32);
    expect(await count(pool, `${schema}.orders`)).toBe(32);
    expect(await count(pool, `${schema}.cqrs_outbox`)).toBe(32);
    // Each committed order has exactly its own event.
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.cqrs_outbox o JOIN ${schema}.orders r ON r.id = convert_from(o.payload, 'UTF8')::jsonb->'payload'->>'orderId'`,
    );
    expect(Number(rows[0]?.n)).toBe(32);
  });

  test('event ids and inbox keys compare byte by byte, whatever the database collation', async () => {
    const { rows } = await pool.query<{ column: string; collation: string }>(
      `SELECT c.relname || '.' || a.attname AS column, co.collname AS collation
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_collation co ON co.oid = a.attcollation
        WHERE n.nspname = $1 AND a.attname IN ('id', 'consumer', 'message_id') AND c.relname IN ('cqrs_outbox', 'cqrs_inbox')
        ORDER BY 1`,
      [schema],
    );
    expect(rows).toEqual([
      { column: 'cqrs_inbox.consumer', collation: 'C' },
      { column: 'cqrs_inbox.message_id', collation: 'C' },
      { column: 'cqrs_outbox.id', collation: 'C' },
    ]);
  });

  test('an event id is stored once: a second row with the same id is refused, through a hash index', async () => {
    const insert = (id: string) => pool.query(`INSERT INTO ${schema}.cqrs_outbox (id, aggregatetype, type) VALUES ($1, 'orders', 'e')`, [id]);
    await insert('same-id');
    await expect(insert('same-id')).rejects.toMatchObject({ code: '23P01' });
    await insert('other-id');
    const { rows } = await pool.query<{ method: string }>(
      `SELECT am.amname AS method FROM pg_constraint k JOIN pg_class i ON i.oid = k.conindid JOIN pg_am am ON am.oid = i.relam
        WHERE k.conrelid = '${schema}.cqrs_outbox'::regclass AND k.conname = 'cqrs_outbox_id_unique'`,
    );
    expect(rows).toEqual([{ method: 'hash' }]);
    expect(await count(pool, `${schema}.cqrs_outbox`, "id = 'same-id'")).toBe(1);
  });

  test('migrations apply once, also when started concurrently, and a broken one rolls back', async () => {
    expect(await migrate(pool, { schema })).toEqual([]);
    const other = `${schema}_m`;
    try {
      const results = await Promise.all([migrate(pool, { schema: other }), migrate(pool, { schema: other }), migrate(pool, { schema: other })]);
      expect(results.flat().sort()).toEqual(migrations.map((m) => m.name).sort());
      await expect(migrate(pool, { schema: other, migrations: [...migrations, { name: '9999_broken', sql: 'CREATE TABLE nope (' }] })).rejects.toBeInstanceOf(MigrationError);
      expect(await count(pool, `${other}.cqrs_migrations`)).toBe(migrations.length);
    } finally {
      await dropSchema(pool, other);
    }
  });
});
