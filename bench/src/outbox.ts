// The outbox on PostgreSQL: what it costs a command, and how fast the relay publishes.
//
// 1. Command latency: the same handler and the same database write in one transaction per
//    send, with its notification event inserted into the outbox against published to the
//    devnull broker (no outbox row). One send of each, alternately, N times; medians and p95.
// 2. Relay throughput to Kafka: the same events drained from the outbox by running relays
//    (started as an app starts them) with one cycle at a time, with the default two cycles
//    side by side, and two relays, marking or deleting published rows, against `KafkaMessageBroker.sendMessages` of the same
//    events with the same batch size, measured in the same run, rounds alternating; and the
//    relay claiming alone (to DevnullMessageBroker), its own ceiling without Kafka; and one
//    relay draining the larger backlog an outage leaves (BENCH_BACKLOG rows). Each case
//    also prints its CPU per event: this process, PostgreSQL and Kafka (read from /proc).
//
//   bash scripts/services up postgres kafka && eval "$(bash scripts/services env)"
//   pnpm bench:outbox   (node --expose-gc bench/dist/outbox.js: each timed case starts from a collected heap)
//
// Environment: DATABASE_URL, KAFKA_BROKERS, BENCH_COMMANDS (default 3000), BENCH_EVENTS
// (default 20000), BENCH_BACKLOG (default 100000), BENCH_BATCH (default 500), BENCH_ROUNDS
// (default 5: one run's rounds differ by up to a third on a shared 2-core machine).
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import {
  DevnullMessageBroker,
  EventRaisingHandler,
  NotificationEvent,
  Request,
  TsyringeContainer,
  bootstrap,
  encodedValueSerializer,
  messageFromEvent,
  silentLogger,
  type Message,
  type MessageBroker,
  type RequestMediator,
} from '@cqrs/core';
import { KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { OutboxRelay, PgOutbox, PgUnitOfWork, migrate, unitOfWorkMiddleware, type OnPublished, type PgTransaction } from '@cqrs/postgres';
import { Kafka, logLevel } from 'kafkajs';
import { Pool, type PoolClient } from 'pg';
import { container } from 'tsyringe';
import { type CpuSample, cpuPerEvent, createBenchTopics, machineLine, median, printTable, roundRatio, sampleCpu, settleHeap } from './lib';

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://cqrs:cqrs@127.0.0.1:5432/cqrs';
const BROKERS = process.env.KAFKA_BROKERS || '127.0.0.1:9092';
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 3_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 100_000);
const SCHEMA = `bench_outbox_${randomUUID().slice(0, 8)}`;

class OrderPlaced extends NotificationEvent<{ orderId: string; customer: string; amount: number }> {}

class PlaceOrder extends Request<string> {
  constructor(readonly orderId: string, readonly customer: string) {
    super();
  }
}

class PlaceOrderHandler extends EventRaisingHandler<PlaceOrder> {
  constructor(private readonly tx: PgTransaction<PoolClient>) {
    super();
  }

  async handle(command: PlaceOrder): Promise<string> {
    await this.tx.client.query(`INSERT INTO ${SCHEMA}.orders (id, customer) VALUES ($1, $2)`, [command.orderId, command.customer]);
    this.raise(new OrderPlaced({ eventName: 'order_placed', topic: 'bench_orders', key: command.customer, payload: { orderId: command.orderId, customer: command.customer, amount: 42 } }));
    return command.orderId;
  }
}

function mediatorOf(pool: Pool, withOutbox: boolean): RequestMediator {
  const unitOfWork = new PgUnitOfWork<PoolClient>({ pool });
  const di = container.createChildContainer();
  // No decorators in the bench build: the handler is registered with a factory.
  di.register(PlaceOrderHandler, { useFactory: () => new PlaceOrderHandler(unitOfWork.transaction) });
  return bootstrap({
    container: new TsyringeContainer(di),
    commandsMapper: (m) => m.bind(PlaceOrder, PlaceOrderHandler),
    middlewares: [unitOfWorkMiddleware(unitOfWork)],
    ...(withOutbox ? { outbox: new PgOutbox({ transaction: unitOfWork.transaction, schema: SCHEMA }) } : { messageBroker: new DevnullMessageBroker() }),
    logger: silentLogger,
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

async function commandLatency(pool: Pool): Promise<void> {
  const plain = mediatorOf(pool, false);
  const outboxed = mediatorOf(pool, true);
  const warmup = Math.min(300, COMMANDS);
  const times: { plain: number[]; outbox: number[] } = { plain: [], outbox: [] };
  for (let i = 0; i < warmup + COMMANDS; i += 1) {
    // Alternate which goes first, so neither always meets a warmer cache.
    const order: ('plain' | 'outbox')[] = i % 2 === 0 ? ['plain', 'outbox'] : ['outbox', 'plain'];
    for (const which of order) {
      const mediator = which === 'plain' ? plain : outboxed;
      const started = process.hrtime.bigint();
      await mediator.send(new PlaceOrder(`${which}-${i}`, `c-${i % 50}`));
      const ns = Number(process.hrtime.bigint() - started);
      if (i >= warmup) times[which].push(ns);
    }
  }
  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
  };
  const plainStats = stats(times.plain);
  const outboxStats = stats(times.outbox);
  const ms = (ns: number): string => `${(ns / 1e6).toFixed(3)} ms`;
  console.log(`\ncommand latency, ${COMMANDS} sends each (handler insert + event, one transaction per send)`);
  printTable([
    { case: 'without outbox (devnull broker)', median: ms(plainStats.median), p95: ms(plainStats.p95), 'median vs baseline': '1.00×' },
    { case: 'with the outbox insert', median: ms(outboxStats.median), p95: ms(outboxStats.p95), 'median vs baseline': `${(outboxStats.median / plainStats.median).toFixed(2)}×` },
  ]);
  console.log(`the outbox adds ${ms(outboxStats.median - plainStats.median)} to the median (goal: at most 1 ms)`);
}

function eventsFor(topic: string, count: number): OrderPlaced[] {
  return Array.from({ length: count }, (_, i) => {
    const customer = `c-${i % 200}`;
    return new OrderPlaced({ eventName: 'order_placed', topic, key: customer, payload: { orderId: `o-${i}`, customer, amount: i } });
  });
}

async function fillOutbox(pool: Pool, events: readonly OrderPlaced[]): Promise<void> {
  const unitOfWork = new PgUnitOfWork({ pool });
  const outbox = new PgOutbox({ transaction: unitOfWork.transaction, schema: SCHEMA });
  for (let start = 0; start < events.length; start += BATCH) {
    const slice = events.slice(start, start + BATCH).map((event) => messageFromEvent(event));
    await unitOfWork.run(() => outbox.save(slice));
  }
}

/** The relay cases: how many relays, with how many cycles each. */
const RELAY_CASES = [
  { name: 'relay1c1', relays: 1, concurrency: 1, onPublished: 'mark', label: 'OutboxRelay, concurrency 1 (claim + produce + commit, in turn)' },
  { name: 'relay1', relays: 1, concurrency: 2, onPublished: 'mark', label: 'OutboxRelay, defaults (concurrency 2, onPublished: mark)' },
  { name: 'relay2', relays: 2, concurrency: 2, onPublished: 'mark', label: 'two OutboxRelays' },
  { name: 'relay1d', relays: 1, concurrency: 2, onPublished: 'delete', label: "OutboxRelay, onPublished: 'delete'" },
  { name: 'relay2d', relays: 2, concurrency: 2, onPublished: 'delete', label: "two OutboxRelays, onPublished: 'delete'" },
  // What an outage leaves: a backlog several times larger, on a table PostgreSQL has no statistics for.
  { name: 'relay1b', relays: 1, concurrency: 2, onPublished: 'mark', backlog: true, label: `OutboxRelay, defaults, draining a backlog of ${BACKLOG} rows` },
] as const;

type RelayCase = (typeof RELAY_CASES)[number];

/** Starts the relays as an app would (LISTEN, default polling) and times them until `expected` rows are published. */
async function drain(pool: Pool, broker: MessageBroker, { relays, concurrency, onPublished }: Pick<RelayCase, 'relays' | 'concurrency' | 'onPublished'>, expected: number): Promise<number> {
  const workers = Array.from({ length: relays }, () => new OutboxRelay({ pool, broker, schema: SCHEMA, batchSize: BATCH, concurrency, onPublished, logger: silentLogger }));
  const started = process.hrtime.bigint();
  await Promise.all(workers.map((relay) => relay.start()));
  while (workers.reduce((sum, relay) => sum + relay.stats.published, 0) < expected) await new Promise((resolve) => setTimeout(resolve, 2));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await Promise.all(workers.map((relay) => relay.stop()));
  return seconds;
}

async function relayThroughput(pool: Pool): Promise<void> {
  const admin = new Kafka({ brokers: BROKERS.split(','), logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  const topic = `bench_outbox_${randomUUID().slice(0, 8)}`;
  await createBenchTopics(admin, [topic], 3);
  const direct = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: BROKERS, logLevel: 'error' }) });
  const relayBroker = new KafkaMessageBroker({ producer: new KafkaProducerAdapter({ bootstrapServers: BROKERS, logLevel: 'error' }), valueSerializer: encodedValueSerializer() });
  const results: Record<'direct' | RelayCase['name'], number[]> = { direct: [], relay1c1: [], relay1: [], relay2: [], relay1d: [], relay2d: [], relay1b: [] };
  // CPU per event of this process and of the local PostgreSQL and Kafka, per case and round.
  const cpu: Record<'direct' | RelayCase['name'], CpuSample[]> = { direct: [], relay1c1: [], relay1: [], relay2: [], relay1d: [], relay2d: [], relay1b: [] };
  // The relay's own ceiling: claiming and taking rows with a broker that costs nothing.
  const claimingAlone: Record<OnPublished, number[]> = { mark: [], delete: [] };
  try {
    // Warm both producers (connection, metadata).
    await direct.sendMessages(eventsFor(topic, 100).map((event) => messageFromEvent(event)));
    await fillOutbox(pool, eventsFor(topic, 100));
    await drain(pool, relayBroker, { relays: 1, concurrency: 1, onPublished: 'mark' }, 100);
    for (let round = 0; round < ROUNDS; round += 1) {
      const events = eventsFor(topic, EVENTS);
      const messages: Message[] = events.map((event) => messageFromEvent(event));
      settleHeap();
      const before = sampleCpu();
      const started = process.hrtime.bigint();
      for (let start = 0; start < messages.length; start += BATCH) await direct.sendMessages(messages.slice(start, start + BATCH));
      results.direct.push(EVENTS / (Number(process.hrtime.bigint() - started) / 1e9));
      cpu.direct.push(cpuPerEvent(before, sampleCpu(), EVENTS));
      for (const relay of RELAY_CASES) {
        const count = 'backlog' in relay ? BACKLOG : EVENTS;
        await fillOutbox(pool, eventsFor(topic, count));
        settleHeap();
        const relayBefore = sampleCpu();
        results[relay.name].push(count / (await drain(pool, relayBroker, relay, count)));
        cpu[relay.name].push(cpuPerEvent(relayBefore, sampleCpu(), count));
        await pool.query(`TRUNCATE ${SCHEMA}.cqrs_outbox`);
      }
      for (const onPublished of ['mark', 'delete'] as const) {
        await fillOutbox(pool, eventsFor(topic, EVENTS));
        settleHeap();
        claimingAlone[onPublished].push(EVENTS / (await drain(pool, new DevnullMessageBroker(), { relays: 1, concurrency: 2, onPublished }, EVENTS)));
        await pool.query(`TRUNCATE ${SCHEMA}.cqrs_outbox`);
      }
    }
  } finally {
    await direct.close();
    await relayBroker.close();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
  console.log(`\nrelay throughput to Kafka, ${EVENTS} JSON events per round, batches of ${BATCH}, 200 keys, median of ${ROUNDS} rounds`);
  console.log(`direct, per round: ${results.direct.map((rate) => Math.round(rate)).join(' / ')} events/s; vs direct: median (lowest–highest) of the rounds' ratios`);
  // Medians of the rounds' CPU microseconds per event: where each case spends the machine's cores.
  const cpuCells = (samples: readonly CpuSample[]): Record<string, string> => {
    const of = (key: keyof CpuSample): number => median(samples.map((sample) => sample[key]));
    return { 'node µs/ev': of('node').toFixed(1), 'PostgreSQL µs/ev': of('postgres').toFixed(1), 'Kafka µs/ev': of('kafka').toFixed(1) };
  };
  printTable([
    { case: 'KafkaMessageBroker.sendMessages (serialize + produce)', 'events/s': Math.round(median(results.direct)), 'vs direct': '1.00', ...cpuCells(cpu.direct) },
    ...RELAY_CASES.map((relay) => ({ case: relay.label, 'events/s': Math.round(median(results[relay.name])), 'vs direct': roundRatio(results.direct, results[relay.name]), ...cpuCells(cpu[relay.name]) })),
  ]);
  console.log('CPU per event: this process (all its threads), and the PostgreSQL and Kafka servers on this machine (from /proc; 0 when they run elsewhere)');
  console.log('goal: the relay reaches at least 0.80× direct publishing');
  console.log(
    `claiming alone (OutboxRelay defaults to DevnullMessageBroker, no Kafka): ${Math.round(median(claimingAlone.mark))} events/s marking, ${Math.round(median(claimingAlone.delete))} events/s deleting`,
  );
}

async function main(): Promise<void> {
  console.log(machineLine());
  const pool = new Pool({ connectionString: DATABASE_URL, max: 10 });
  try {
    await migrate(pool, { schema: SCHEMA });
    await pool.query(`CREATE TABLE ${SCHEMA}.orders (id text PRIMARY KEY, customer text NOT NULL)`);
    await commandLatency(pool);
    await relayThroughput(pool);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await pool.end();
  }
}

void main();
