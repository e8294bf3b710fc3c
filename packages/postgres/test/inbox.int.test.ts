import { JsonValueDeserializer, bootstrapEvents, inboxHandler, messageFromEvent, silentLogger, type EventHandler } from '@cqrs/core';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { PgInbox, PgTransaction, PgUnitOfWork, cleanupInbox } from '@cqrs/postgres';
import { unique, waitFor } from '@cqrs/test-fixtures';
import type { PoolClient } from 'pg';
import { Deposited } from './support/deposits';
import { createTopic, kafkaBrokers } from './support/kafka';
import { count, poolWithSchemaPerTest } from './support/pg';

jest.setTimeout(90_000);

describe('the inbox on PostgreSQL', () => {
  let schema: string;
  const pool = poolWithSchemaPerTest((created) => (schema = created));
  let unitOfWork: PgUnitOfWork<PoolClient>;

  beforeEach(async () => {
    await pool.query(`CREATE TABLE ${schema}.balances (account text PRIMARY KEY, amount integer NOT NULL)`);
    unitOfWork = new PgUnitOfWork<PoolClient>({ pool });
  });

  /** Applies a deposit through the inbox's transaction. */
  function deposit(tx: PgTransaction<PoolClient>, event: Deposited): Promise<unknown> {
    return tx.client.query(
      `INSERT INTO ${schema}.balances (account, amount) VALUES ($1, $2) ON CONFLICT (account) DO UPDATE SET amount = balances.amount + EXCLUDED.amount`,
      [event.payload.account, event.payload.amount],
    );
  }

  async function balance(account: string): Promise<number> {
    const { rows } = await pool.query<{ amount: number }>(`SELECT amount FROM ${schema}.balances WHERE account = $1`, [account]);
    return rows[0]?.amount ?? 0;
  }

  test('a Kafka message delivered five times changes state once; the copies are acked without running the handler', async () => {
    const topic = unique('pg_inbox');
    await createTopic(topic, 1);
    const inbox = new PgInbox({ unitOfWork, consumer: 'deposits', schema });
    // The event handler writes through the injected transaction, as a command handler would.
    class OnDeposited implements EventHandler<Deposited> {
      handle(event: Deposited): Promise<void> {
        return deposit(unitOfWork.transaction, event).then(() => undefined);
      }
    }
    const events = bootstrapEvents({ eventsMapper: (m) => m.bind(Deposited, OnDeposited), logger: silentLogger });
    const event = new Deposited({ eventName: 'deposited', topic, key: 'acc-1', payload: { account: 'acc-1', amount: 10 } });
    const other = new Deposited({ eventName: 'deposited', topic, key: 'acc-1', payload: { account: 'acc-1', amount: 1 } });
    const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: kafkaBrokers, logLevel: 'error' }) });
    // Five copies of one message (a producer retry, a rebalance, a replay), then a different one.
    await broker.sendMessages([...Array.from({ length: 5 }, () => messageFromEvent(event)), messageFromEvent(other)]);
    await broker.close();

    let handled = 0;
    let duplicates = 0;
    const consumer = new KafkaConsumer({ bootstrapServers: kafkaBrokers, logLevel: 'error', groupId: unique('pg-inbox'), fromBeginning: true, maxWaitTimeMs: 200 });
    consumer.subscribe(
      { topics: [topic], valueDeserializer: new JsonValueDeserializer({ model: Deposited }) },
      inboxHandler(
        inbox,
        async (body) => {
          handled += 1;
          if (body instanceof Deposited) await events.send(body);
        },
        { onDuplicate: () => (duplicates += 1) },
      ),
    );
    await consumer.start();
    try {
      await waitFor(() => handled + duplicates === 6, () => `six deliveries, have ${handled} handled and ${duplicates} duplicates`);
    } finally {
      await consumer.stop();
    }
    expect(handled).toBe(2);
    expect(duplicates).toBe(4);
    expect(await balance('acc-1')).toBe(11);
    expect(await count(pool, `${schema}.cqrs_inbox`)).toBe(2);
  });

  test('concurrent deliveries of one id run the work once; a failed one records nothing', async () => {
    const inbox = new PgInbox({ unitOfWork, schema });
    const event = new Deposited({ eventName: 'deposited', topic: 't', payload: { account: 'acc-2', amount: 5 } });
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => inbox.once(event.eventId, () => deposit(unitOfWork.transaction, event))));
    expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(1);
    expect(await balance('acc-2')).toBe(5);

    const failing = new Deposited({ eventName: 'deposited', topic: 't', payload: { account: 'acc-3', amount: 7 } });
    await expect(
      inbox.once(failing.eventId, async () => {
        await deposit(unitOfWork.transaction, failing);
        throw new Error('handler failed after its write');
      }),
    ).rejects.toThrow('handler failed after its write');
    expect(await balance('acc-3')).toBe(0);
    expect(await inbox.once(failing.eventId, () => deposit(unitOfWork.transaction, failing))).toMatchObject({ duplicate: false });
    expect(await balance('acc-3')).toBe(7);
  });

  test('ids are per consumer, and cleanup forgets old ones', async () => {
    const a = new PgInbox({ unitOfWork, schema, consumer: 'a' });
    const b = new PgInbox({ unitOfWork, schema, consumer: 'b' });
    expect(await a.once('m-1', async () => 1)).toEqual({ duplicate: false, result: 1 });
    expect(await b.once('m-1', async () => 2)).toEqual({ duplicate: false, result: 2 });
    expect(await a.once('m-1', async () => 3)).toEqual({ duplicate: true });
    expect(await cleanupInbox(pool, { schema, olderThanMs: 0, consumer: 'a' })).toBe(1);
    expect(await cleanupInbox(pool, { schema, olderThanMs: 60_000 })).toBe(0);
    expect(await a.once('m-1', async () => 4)).toEqual({ duplicate: false, result: 4 });
  });
});

