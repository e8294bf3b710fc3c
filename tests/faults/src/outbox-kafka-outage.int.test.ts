import { encodedValueSerializer, exponentialBackoff, messageFromEvent, silentLogger } from '@cqrs/core';
import { KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { OutboxRelay, PgOutbox, PgUnitOfWork, migrate, outboxMetrics } from '@cqrs/postgres';
import { createKafkaTopic, IsolatedServices, unique, waitFor, type UserCreatedEvent } from '@cqrs/test-fixtures';
import { Pool, type PoolClient } from 'pg';
import { EventLedger } from './support/ledger';
import { readValues, waitForKafka } from './support/raw-kafka';
import { eventIdOf, sleep, userEvents } from './support/user-events';

jest.setTimeout(240_000);

// The broker is theirs alone (shared with the other Kafka fault suites, run one at a time): it
// is SIGKILLed, or frozen, while commands keep committing through the outbox.
let services: IsolatedServices;
let brokers: string;
const db = new Pool({ connectionString: process.env.DATABASE_URL?.trim() || 'postgres://cqrs:cqrs@127.0.0.1:5432/cqrs', max: 10 });
let schema: string;

beforeAll(async () => {
  services = await IsolatedServices.up('faults-kafka', ['kafka']);
  brokers = services.addresses.kafkaBrokers;
});

beforeEach(async () => {
  schema = unique('faults_outbox').replace(/-/g, '_').toLowerCase();
  await migrate(db, { schema });
  await db.query(`CREATE TABLE ${schema}.users (id text PRIMARY KEY, name text NOT NULL)`);
});

afterEach(async () => {
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
});

afterAll(async () => {
  await db.end();
  // Leave the broker running for the next file; a scenario that failed half-way may have left it down.
  await services.resume('kafka').catch(() => undefined);
  await services.start('kafka');
});

/** A fault: `down` takes the broker away, `up` brings it back. */
interface Fault {
  readonly down: () => Promise<void>;
  readonly up: () => Promise<void>;
}

/**
 * Commands at about 100 a second, each writing its user and saving its event to the outbox in
 * one transaction, with a relay publishing to the isolated Kafka: 200 commands, then the broker
 * goes down for `downMs` while commands go on, then it comes back (commands still going on), then
 * 200 more. Every command must succeed, and every committed event must reach the topic.
 */
async function commandsThrough(scenario: string, fault: Fault, downMs: number): Promise<void> {
  const topic = unique('faults_outbox');
  await createKafkaTopic(brokers, topic, 3);
  const ledger = new EventLedger(scenario);
  const unitOfWork = new PgUnitOfWork<PoolClient>({ pool: db });
  const outbox = new PgOutbox({ transaction: unitOfWork.transaction, schema });
  const producer = new KafkaProducerAdapter({ bootstrapServers: brokers, logger: silentLogger, requestTimeoutMs: 5_000, connectionRetry: { retries: 2, initialMs: 200, maxMs: 1_000 } });
  const broker = new KafkaMessageBroker({ producer, valueSerializer: encodedValueSerializer() });
  const relay = new OutboxRelay({ pool: db, broker, schema, batchSize: 100, pollIntervalMs: 200, backoff: exponentialBackoff({ initialMs: 100, maxMs: 1_000 }), logger: silentLogger });
  const events = userEvents(topic, 20_000);
  let next = 0;
  // A command's state and its event commit together, nothing is published here: in the
  // ledger, acknowledged means committed, and handled means on the topic.
  const command = async (): Promise<void> => {
    const event = events[next++] as UserCreatedEvent;
    ledger.sent(event.eventId);
    try {
      await unitOfWork.run(async (client) => {
        await client.query(`INSERT INTO ${schema}.users (id, name) VALUES ($1, $2)`, [event.eventId, event.payload.name]);
        await outbox.save([messageFromEvent(event)]);
      });
      ledger.acknowledged(event.eventId);
    } catch (error) {
      ledger.rejected(event.eventId, error);
    }
  };
  const steadily = async (count: number | (() => boolean)): Promise<void> => {
    for (let i = 0; typeof count === 'number' ? i < count : !count(); i += 1) {
      await command();
      if (i % 10 === 9) await sleep(100);
    }
  };
  let backlogWhileDown = 0;
  try {
    await relay.start();
    await steadily(200);
    await fault.down();
    const downUntil = Date.now() + downMs;
    await steadily(() => Date.now() >= downUntil);
    backlogWhileDown = (await outboxMetrics(db, { schema })).backlog;
    let back = false;
    const restarting = fault
      .up()
      .then(() => waitForKafka(brokers))
      .finally(() => (back = true));
    await steadily(() => back);
    await restarting;
    await steadily(200);
    await waitFor(async () => (await outboxMetrics(db, { schema })).backlog === 0, 'the relay to publish the backlog', 120_000);
  } finally {
    await relay.stop();
    await broker.close().catch(() => undefined);
  }
  for (const value of await readValues(brokers, topic)) ledger.handled(eventIdOf(value));
  const result = ledger.counts();
  process.stdout.write(`[faults] ${scenario}: ${backlogWhileDown} events waiting in the outbox at the end of the outage\n`);
  expect(result.rejected).toBe(0);
  expect(result.acknowledged).toBe(result.sent);
  // Commands committed while the broker was down, and their events waited in the outbox.
  expect(backlogWhileDown).toBeGreaterThan(0);
  expect(result.lost).toBe(0);
  expect(result.handled).toBe(result.acknowledged);
  expect((await outboxMetrics(db, { schema })).parked).toBe(0);
}

const outages: readonly ({ readonly name: string; readonly scenario: string } & Fault)[] = [
  { name: 'SIGKILLed for 8 s, then restarted', scenario: 'Kafka SIGKILLed', down: () => services.kill('kafka'), up: () => services.start('kafka') },
  { name: 'frozen (SIGSTOP: connections open, no answer) for 8 s', scenario: 'Kafka frozen', down: () => services.pause('kafka'), up: () => services.resume('kafka') },
];

describe('commands with the outbox while the Kafka broker is down', () => {
  test.each(outages)('$name: every command commits, and every event is on the topic after it, 0 lost', async (outage) => {
    await commandsThrough(`outbox relay, ${outage.scenario} for 8 s while commands commit`, outage, 8_000);
  });
});
