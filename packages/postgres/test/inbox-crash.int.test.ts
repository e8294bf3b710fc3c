import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonValueDeserializer, inboxHandler, messageFromEvent, silentLogger } from '@cqrs/core';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { PgInbox, PgUnitOfWork } from '@cqrs/postgres';
import { bundleChild, unique, waitFor } from '@cqrs/test-fixtures';
import type { PoolClient } from 'pg';
import { Deposited, appliedTable, createAppliedTable, deposits, insertApplied } from './support/deposits';
import { createTopic, kafkaBrokers } from './support/kafka';
import { count, databaseUrl, dropSchema, freshSchema, newPool } from './support/pg';

jest.setTimeout(150_000);

const EVENTS = 900;

describe('a consumer with the inbox SIGKILLed mid-batch', () => {
  const pool = newPool();
  let dir: string;
  let schema: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pg-inbox-crash-'));
    schema = await freshSchema(pool);
    await pool.query(createAppliedTable(schema));
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(pool, schema);
    await pool.end();
  });

  test('every record it applied comes back and is acked without running the handler: each deposit applied once, none lost', async () => {
    const topic = unique('pg_inbox_crash');
    const groupId = unique('pg-inbox-crash');
    await createTopic(topic, 3);
    const events = deposits(topic, EVENTS);
    const broker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: kafkaBrokers, logLevel: 'error' }) });
    await broker.sendMessages(events.map((event) => messageFromEvent(event)));
    await broker.close();

    const script = bundleChild(join(__dirname, 'fixtures/inbox-consumer.ts'), join(dir, 'inbox-consumer.cjs'));
    let stderr = '';
    child = spawn(process.execPath, [script], {
      env: { ...process.env, DATABASE_URL: databaseUrl, KAFKA_BROKERS: kafkaBrokers, INBOX_SCHEMA: schema, INBOX_TOPIC: topic, INBOX_GROUP: groupId },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<NodeJS.Signals | null>((resolveExit) => child!.on('exit', (_code, signal) => resolveExit(signal)));
    await waitFor(async () => (await count(pool, appliedTable(schema))) >= 300, () => `the child to apply 300 deposits (stderr: ${stderr})`, 60_000);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // What the killed consumer applied committed with its inbox ids, and no offset did: every one of them comes back.
    const appliedAtKill = await count(pool, appliedTable(schema));
    expect(await count(pool, `${schema}.cqrs_inbox`)).toBe(appliedAtKill);
    expect(appliedAtKill).toBeLessThan(EVENTS);

    let handled = 0;
    let duplicates = 0;
    const unitOfWork = new PgUnitOfWork<PoolClient>({ pool });
    const inbox = new PgInbox({ unitOfWork, consumer: 'deposits', schema });
    const consumer = new KafkaConsumer({ bootstrapServers: kafkaBrokers, groupId, logger: silentLogger, maxWaitTimeMs: 200, partitionsConsumedConcurrently: 3 });
    consumer.subscribe(
      { topics: [topic], valueDeserializer: new JsonValueDeserializer({ model: Deposited }) },
      inboxHandler(
        inbox,
        async (body) => {
          if (!(body instanceof Deposited)) throw new Error('unexpected record');
          handled += 1;
          await unitOfWork.transaction.client.query(insertApplied(schema), [body.eventId, body.payload.account, body.payload.amount]);
        },
        { onDuplicate: () => (duplicates += 1) },
      ),
    );
    await consumer.start();
    try {
      await waitFor(() => handled + duplicates >= EVENTS, () => `${EVENTS} deliveries after the restart, have ${handled} handled and ${duplicates} duplicates`, 90_000);
    } finally {
      await consumer.stop();
    }

    const { rows } = await pool.query<{ event_id: string; n: string }>(`SELECT event_id, count(*) AS n FROM ${appliedTable(schema)} GROUP BY event_id`);
    const times = new Map(rows.map((row) => [row.event_id, Number(row.n)]));
    const lost = events.filter((event) => !times.has(event.eventId)).length;
    const appliedTwice = [...times.values()].filter((n) => n > 1).length;
    expect(lost).toBe(0);
    expect(appliedTwice).toBe(0);
    expect(times.size).toBe(EVENTS);
    expect(duplicates).toBe(appliedAtKill);
    expect(handled).toBe(EVENTS - appliedAtKill);
    const { rows: balances } = await pool.query<{ total: string }>(`SELECT sum(amount) AS total FROM ${appliedTable(schema)}`);
    expect(Number(balances[0]?.total)).toBe(EVENTS);
    process.stdout.write(`inbox crash test: ${EVENTS} deposits, ${appliedAtKill} applied before the kill, ${duplicates} redelivered and acked unapplied, ${handled} applied after, ${lost} lost, ${appliedTwice} applied twice\n`);
  });
});
