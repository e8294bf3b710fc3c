import { EventRaisingHandler, NotificationEvent, Request, TsyringeContainer, bootstrap, silentLogger, type Outbox, type RequestMediator } from '@cqrs/core';
import { PgOutbox, PgTransaction, PgUnitOfWork, unitOfWorkMiddleware } from '@cqrs/postgres';
import type { Pool, PoolClient } from 'pg';
import { container, inject, injectable } from 'tsyringe';
import type { ValueSerializer } from '@cqrs/core';

/** The event a placed order raises; keyed by the customer, so one customer's events keep their order. */
export class OrderPlaced extends NotificationEvent<{ orderId: string; customer: string; n: number }> {}

/** Places an order: writes it and raises `OrderPlaced`; `fail` throws after both. */
export class PlaceOrder extends Request<string> {
  constructor(
    readonly schema: string,
    readonly topic: string,
    readonly orderId: string,
    readonly customer: string,
    readonly n = 0,
    readonly fail = false,
  ) {
    super();
  }
}

/** Reaches the transaction through the injected `PgTransaction`: typed, and only inside a unit of work. */
@injectable()
export class PlaceOrderHandler extends EventRaisingHandler<PlaceOrder> {
  constructor(@inject(PgTransaction) private readonly tx: PgTransaction<PoolClient>) {
    super();
  }

  async handle(command: PlaceOrder): Promise<string> {
    await this.tx.client.query(`INSERT INTO ${command.schema}.orders (id, amount) VALUES ($1, $2)`, [command.orderId, command.n]);
    this.raise(
      new OrderPlaced({
        eventName: 'order_placed',
        topic: command.topic,
        key: command.customer,
        payload: { orderId: command.orderId, customer: command.customer, n: command.n },
      }),
    );
    if (command.fail) throw new Error(`order ${command.orderId} refused`);
    return command.orderId;
  }
}

/** The mediator of an app with the outbox: each send runs in one transaction. */
export function ordersApp(pool: Pool, schema: string, serializer?: ValueSerializer): { mediator: RequestMediator; unitOfWork: PgUnitOfWork<PoolClient>; outbox: Outbox } {
  const unitOfWork = new PgUnitOfWork<PoolClient>({ pool });
  const child = container.createChildContainer();
  child.registerInstance(PgTransaction, unitOfWork.transaction);
  const outbox = new PgOutbox({ transaction: unitOfWork.transaction, schema, ...(serializer === undefined ? {} : { serializer }) });
  const mediator = bootstrap({
    container: new TsyringeContainer(child),
    commandsMapper: (m) => m.bind(PlaceOrder, PlaceOrderHandler),
    middlewares: [unitOfWorkMiddleware(unitOfWork)],
    outbox,
    logger: silentLogger,
  });
  return { mediator, unitOfWork, outbox };
}
