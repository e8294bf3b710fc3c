import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonValueDeserializer, inboxHandler, messageFromEvent, silentLogger, type ConsumedMessage, type MessageConsumer, type MessageHandler } from '@cqrs/core';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { PgInbox, PgUnitOfWork } from '@cqrs/postgres';
import { AMQPConsumer, AMQPMessageBroker, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { unique, waitFor } from '@cqrs/test-fixtures';
import type { Pool, PoolClient } from 'pg';
import { amqpUrl, deleteAmqpTopology } from './support/amqp';
import { startChild, type Child } from './support/child';
import { Deposited, appliedTable, createAppliedTable, deposits, insertApplied } from './support/deposits';
import { createTopic, kafkaBrokers } from './support/kafka';
import { count, dropSchema, freshSchema, newPool } from './support/pg';

jest.setTimeout(150_000);

/** How often each deposit was applied, by event id. */
async function applications(pool: Pool, schema: string, events: readonly Deposited[]): Promise<{ lost: number; appliedTwice: number; distinct: number; total: number }> {
  const { rows } = await pool.query<{ event_id: string; n: string; amount: string }>(`SELECT event_id, count(*) AS n, sum(amount) AS amount FROM ${appliedTable(schema)} GROUP BY event_id`);
  const times = new Map(rows.map((row) => [row.event_id, Number(row.n)]));
  return {
    lost: events.filter((event) => !times.has(event.eventId)).length,
    appliedTwice: [...times.values()].filter((n) => n > 1).length,
    distinct: times.size,
    total: rows.reduce((sum, row) => sum + Number(row.amount), 0),
  };
}

/**
 * Consumes with a consumer started in the killed one's place, through `inboxHandler`, until
 * every deposit is applied; counts the handler's runs and the deliveries acked as duplicates.
 */
async function takeOver(
  pool: Pool,
  schema: string,
  consumerOf: (handler: MessageHandler<unknown, ConsumedMessage>) => Pick<MessageConsumer, 'start' | 'stop'>,
  events: number,
): Promise<{ handled: number; duplicates: number }> {
  const counts = { handled: 0, duplicates: 0 };
  const unitOfWork = new PgUnitOfWork<PoolClient>({ pool });
  const handler = inboxHandler(
    new PgInbox({ unitOfWork, consumer: 'deposits', schema }),
    async (body) => {
      if (!(body instanceof Deposited)) throw new Error('unexpected record');
      counts.handled += 1;
      await unitOfWork.transaction.client.query(insertApplied(schema), [body.eventId, body.payload.account, body.payload.amount]);
    },
    { onDuplicate: () => (counts.duplicates += 1) },
  );
  const consumer = consumerOf(handler);
  await consumer.start();
  try {
    await waitFor(async () => (await count(pool, appliedTable(schema))) >= events, () => `all ${events} deposits applied, ${counts.handled} handled and ${counts.duplicates} duplicates so far`, 90_000);
  } finally {
    await consumer.stop();
  }
  return counts;
}

describe('a consumer with the inbox SIGKILLed while what it applied is not acknowledged', () => {
  const pool = newPool();
  let dir: string;
  let schema: string;
  let child: Child | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pg-inbox-crash-'));
    schema = await freshSchema(pool);
    await pool.query(createAppliedTable(schema));
  });
  afterEach(async () => {
    await child?.kill();
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(pool, schema);
  });
  afterAll(async () => {
    await pool.end();
  });

  test('Kafka, mid-batch: every record it applied comes back and is acked without running the handler; each deposit applied once, none lost', async () => {
    const topic = unique('pg_inbox_crash');
    const events = deposits(topic, 900);
    const groupId = unique('pg-inbox-crash');
    await createTopic(topic, 3);
    const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: kafkaBrokers, logLevel: 'error' }) });
    await broker.sendMessages(events.map((event) => messageFromEvent(event)));
    await broker.close();

    // The child consumes with the `inbox` option and commits offsets only when a batch ends.
    const running = (child = startChild(dir, 'inbox-consumer', { KAFKA_BROKERS: kafkaBrokers, INBOX_SCHEMA: schema, INBOX_TOPIC: topic, INBOX_GROUP: groupId }));
    await waitFor(async () => (await count(pool, appliedTable(schema))) >= 300, () => `the child to apply 300 deposits (stderr: ${running.stderr()})`, 60_000);
    expect(await running.kill()).toBe('SIGKILL');

    // What it applied committed with its inbox ids, and no offset did: every one of them comes back.
    const appliedAtKill = await count(pool, appliedTable(schema));
    expect(await count(pool, `${schema}.cqrs_inbox`)).toBe(appliedAtKill);
    expect(appliedAtKill).toBeLessThan(events.length);

    const { handled, duplicates } = await takeOver(
      pool,
      schema,
      (handler) => {
        const consumer = new KafkaConsumer({ bootstrapServers: kafkaBrokers, groupId, logger: silentLogger, maxWaitTimeMs: 200, partitionsConsumedConcurrently: 3 });
        consumer.subscribe({ topics: [topic], valueDeserializer: new JsonValueDeserializer({ model: Deposited }) }, handler);
        return consumer;
      },
      events.length,
    );
    const applied = await applications(pool, schema, events);
    expect(applied).toEqual({ lost: 0, appliedTwice: 0, distinct: events.length, total: events.length });
    expect(duplicates).toBe(appliedAtKill);
    expect(handled).toBe(events.length - appliedAtKill);
    process.stdout.write(
      `inbox crash test (Kafka): ${events.length} deposits, ${appliedAtKill} applied before the kill, ${duplicates} redelivered and acked unapplied, ${handled} applied after, ${applied.lost} lost, ${applied.appliedTwice} applied twice\n`,
    );
  });

  test('RabbitMQ, acks pending after commits: the redelivered applied messages are acked without running the handler; each deposit applied once, none lost', async () => {
    const prefetch = 20;
    const events = deposits('deposits.made', 600);
    const exchangeName = unique('pg_inbox_crash');
    const queue = unique('pg_inbox_crash_q');
    try {
      // The child declares the queue and consumes: each message is acked 200 ms after its transaction committed.
      const running = (child = startChild(dir, 'inbox-amqp-consumer', {
        AMQP_URL: amqpUrl.href,
        INBOX_SCHEMA: schema,
        INBOX_EXCHANGE: exchangeName,
        INBOX_QUEUE: queue,
        INBOX_TOPIC: 'deposits.made',
        INBOX_PREFETCH: String(prefetch),
      }));
      await waitFor(() => running.lines.includes('started'), () => `the child to start (stderr: ${running.stderr()})`, 60_000);
      const broker = new AMQPMessageBroker({ exchangeName, publisher: new AMQPPublisherAdapter({ url: amqpUrl.href, logger: silentLogger }) });
      await broker.sendMessages(events.map((event) => messageFromEvent(event)));
      await broker.close();
      await waitFor(async () => (await count(pool, appliedTable(schema))) >= 200, () => `the child to apply 200 deposits (stderr: ${running.stderr()})`, 60_000);
      expect(await running.kill()).toBe('SIGKILL');
      const appliedAtKill = await count(pool, appliedTable(schema));
      expect(await count(pool, `${schema}.cqrs_inbox`)).toBe(appliedAtKill);

      const { handled, duplicates } = await takeOver(
        pool,
        schema,
        (handler) =>
          new AMQPConsumer({ url: amqpUrl.href, exchangeName, prefetch, logger: silentLogger }).subscribe(
            { topics: ['deposits.made'], queue, valueDeserializer: new JsonValueDeserializer({ model: Deposited }) },
            handler,
          ),
        events.length,
      );
      const applied = await applications(pool, schema, events);
      expect(applied).toEqual({ lost: 0, appliedTwice: 0, distinct: events.length, total: events.length });
      // RabbitMQ redelivers what was not acked: at most a prefetch's worth, each applied already.
      expect(duplicates).toBeGreaterThanOrEqual(1);
      expect(duplicates).toBeLessThanOrEqual(prefetch);
      expect(handled).toBe(events.length - appliedAtKill);
      process.stdout.write(
        `inbox crash test (RabbitMQ): ${events.length} deposits, ${appliedAtKill} applied before the kill, ${duplicates} redelivered and acked unapplied, ${handled} applied after, ${applied.lost} lost, ${applied.appliedTwice} applied twice\n`,
      );
    } finally {
      await deleteAmqpTopology(queue, [exchangeName, `${exchangeName}.dlx`]);
    }
  });
});
