import { EventRaisingHandler, TsyringeContainer, bootstrap, silentLogger, type RequestMediator } from '@cqrs/core';
import { PgOutbox, PgTransaction, PgUnitOfWork, unitOfWorkMiddleware } from '@cqrs/postgres';
import { drizzle } from 'drizzle-orm/node-postgres';
import { integer, pgSchema, text } from 'drizzle-orm/pg-core';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import { container } from 'tsyringe';
import { OrderPlaced, PlaceOrder } from './support/orders';
import { count, poolWithSchemaPerTest } from './support/pg';

jest.setTimeout(60_000);

function raiseOrderPlaced(handler: EventRaisingHandler<PlaceOrder>['raise'], command: PlaceOrder): void {
  handler(new OrderPlaced({ eventName: 'order_placed', topic: command.topic, key: command.customer, payload: { orderId: command.orderId, customer: command.customer, n: command.n } }));
}

/** Drizzle over the send's connection: `drizzle({ client })` takes a `PoolClient` as it is. */
class DrizzlePlaceOrderHandler extends EventRaisingHandler<PlaceOrder> {
  constructor(private readonly tx: PgTransaction<PoolClient>) {
    super();
  }

  async handle(command: PlaceOrder): Promise<string> {
    const orders = pgSchema(command.schema).table('orders', { id: text('id').primaryKey(), amount: integer('amount').notNull() });
    await drizzle({ client: this.tx.client }).insert(orders).values({ id: command.orderId, amount: command.n });
    raiseOrderPlaced((event) => this.raise(event), command);
    if (command.fail) throw new Error(`order ${command.orderId} refused`);
    return command.orderId;
  }
}

interface Database {
  orders: { id: string; amount: number };
}

/** A pool for Kysely whose connection is always the current send's transaction; the unit of work begins and ends it. */
function transactionPool(tx: PgTransaction<PoolClient>): PostgresPool {
  return {
    connect: async (): Promise<PostgresPoolClient> => {
      const client = tx.client;
      return { query: client.query.bind(client), release: () => undefined };
    },
    end: async () => undefined,
  };
}

/** Kysely, built once, over `transactionPool`. */
class KyselyPlaceOrderHandler extends EventRaisingHandler<PlaceOrder> {
  constructor(private readonly db: Kysely<Database>) {
    super();
  }

  async handle(command: PlaceOrder): Promise<string> {
    await this.db.withSchema(command.schema).insertInto('orders').values({ id: command.orderId, amount: command.n }).execute();
    raiseOrderPlaced((event) => this.raise(event), command);
    if (command.fail) throw new Error(`order ${command.orderId} refused`);
    return command.orderId;
  }
}

type Builder = 'Drizzle' | 'Kysely';

function appWith(builder: Builder, pool: Pool, schema: string): RequestMediator {
  const unitOfWork = new PgUnitOfWork<PoolClient>({ pool });
  const child = container.createChildContainer();
  if (builder === 'Drizzle') child.register(DrizzlePlaceOrderHandler, { useFactory: () => new DrizzlePlaceOrderHandler(unitOfWork.transaction) });
  else {
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: transactionPool(unitOfWork.transaction) }) });
    child.register(KyselyPlaceOrderHandler, { useFactory: () => new KyselyPlaceOrderHandler(db) });
  }
  return bootstrap({
    container: new TsyringeContainer(child),
    commandsMapper: (m) => m.bind(PlaceOrder, builder === 'Drizzle' ? DrizzlePlaceOrderHandler : KyselyPlaceOrderHandler),
    middlewares: [unitOfWorkMiddleware(unitOfWork)],
    outbox: new PgOutbox({ transaction: unitOfWork.transaction, schema }),
    logger: silentLogger,
  });
}

describe.each<Builder>(['Drizzle', 'Kysely'])('a handler writing with %s', (builder) => {
  let schema: string;
  const pool = poolWithSchemaPerTest((created) => (schema = created));

  test('commits its write and its outbox row together', async () => {
    const mediator = appWith(builder, pool, schema);
    await expect(mediator.send(new PlaceOrder(schema, 'orders', 'o-1', 'c-1', 3))).resolves.toBe('o-1');
    const { rows } = await pool.query<{ amount: number }>(`SELECT amount FROM ${schema}.orders WHERE id = 'o-1'`);
    expect(rows).toEqual([{ amount: 3 }]);
    const outbox = await pool.query<{ aggregateid: string; payload: Buffer }>(`SELECT aggregateid, payload FROM ${schema}.cqrs_outbox`);
    expect(outbox.rows).toHaveLength(1);
    expect(outbox.rows[0]!.aggregateid).toBe('c-1');
    expect(JSON.parse(outbox.rows[0]!.payload.toString('utf8'))).toMatchObject({ payload: { orderId: 'o-1', n: 3 } });
  });

  test('that throws rolls back its write and its outbox row', async () => {
    const mediator = appWith(builder, pool, schema);
    await expect(mediator.send(new PlaceOrder(schema, 'orders', 'o-2', 'c-1', 1, true))).rejects.toThrow('order o-2 refused');
    expect(await count(pool, `${schema}.orders`)).toBe(0);
    expect(await count(pool, `${schema}.cqrs_outbox`)).toBe(0);
  });

  test('runs concurrent sends each in its own transaction', async () => {
    const mediator = appWith(builder, pool, schema);
    const sends = Array.from({ length: 20 }, (_, i) => mediator.send(new PlaceOrder(schema, 'orders', `o-${i}`, `c-${i % 4}`, i, i % 2 === 1)));
    const results = await Promise.allSettled(sends);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(10);
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM ${schema}.orders ORDER BY amount`);
    expect(rows.map((row) => row.id)).toEqual(Array.from({ length: 10 }, (_, i) => `o-${i * 2}`));
    expect(await count(pool, `${schema}.cqrs_outbox`)).toBe(10);
  });
});
