// Kafka publish and consume of Protobuf UserCreated events through KafkaMessageBroker and
// KafkaConsumer (into an EventMediator), against raw kafkajs with the same batching, measured
// in the same run.
//
//   pnpm turbo run build --filter=@cqrs/bench...   (services up: bash scripts/services up kafka registry)
//   node --expose-gc bench/dist/kafka.js
//
// Each case runs BENCH_ROUNDS times, the framework and the baseline alternating which goes
// first; the table shows each case's median, and each ratio is the median of the rounds' ratios.
// The process's CPU time per event is printed too: it leaves out the waits on the broker, which
// vary most between rounds.
//
// Environment: KAFKA_BROKERS, KAFKA_SCHEMA_REGISTRY_URL, BENCH_EVENTS (default 100000),
// BENCH_BATCH (default 1000), BENCH_PARTITIONS (default 3), BENCH_CONCURRENCY (partitions
// consumed at once, default 3), BENCH_ROUNDS (default 5).
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import { StandardHeaders, bootstrapEvents, dispatchTo, messageFromEvent, silentLogger, type EventHandler, type Message } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { ProtobufValueDeserializer, ProtobufValueSerializer } from '@cqrs/protobuf';
import { Kafka, Partitioners, logLevel, type Message as KafkaJsMessage } from 'kafkajs';
import { createBenchTopics, machineLine, median, roundRatio, settleHeap } from './lib';
import { UserCreatedEvent } from './serde-events';

const BROKERS = process.env.KAFKA_BROKERS || '127.0.0.1:9092';
const REGISTRY_URL = process.env.KAFKA_SCHEMA_REGISTRY_URL || 'http://127.0.0.1:8085/apis/ccompat/v7';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = Math.min(10_000, EVENTS);
const RETRY = { retries: 5, initialRetryTime: 300, maxRetryTime: 30_000, factor: 0.2, multiplier: 2 };

let handledByMediator = 0;
let onHandled: () => void = () => undefined;
class CountingHandler implements EventHandler<UserCreatedEvent> {
  handle(_event: UserCreatedEvent): void {
    handledByMediator += 1;
    onHandled();
  }
}

function makeEvents(count: number, topic: string): UserCreatedEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const userId = `user-${i % 997}`;
    return new UserCreatedEvent({ eventName: 'user_created', topic, key: userId, payload: { userId, email: `${userId}@example.com`, name: `User ${i}` } });
  });
}

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += BATCH) out.push(items.slice(start, start + BATCH));
  return out;
}

async function timed(run: () => Promise<void>): Promise<number> {
  return (await timedWithCpu(run)).seconds;
}

async function timedWithCpu(run: () => Promise<void>): Promise<Took> {
  settleHeap();
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await run();
  const used = process.cpuUsage(cpu);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** What the framework puts on the wire, prepared ahead so the raw baseline sends the same bytes and headers. */
async function preSerialize(serializer: ProtobufValueSerializer, events: readonly UserCreatedEvent[]): Promise<KafkaJsMessage[]> {
  return Promise.all(
    events.map(async (event) => {
      const message = messageFromEvent(event);
      const encoded = await serializer.serialize(message);
      return {
        key: event.key ?? null,
        value: Buffer.from(encoded.value.buffer, encoded.value.byteOffset, encoded.value.byteLength),
        headers: { ...encoded.headers, [StandardHeaders.messageName]: message.messageName, [StandardHeaders.messageId]: message.messageId },
      };
    }),
  );
}

const rawKafka = new Kafka({ brokers: BROKERS.split(','), clientId: 'bench-raw', logLevel: logLevel.ERROR, retry: RETRY });

/** The baseline's producer, connected once before the rounds like the framework's. */
const rawProducer = rawKafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, retry: RETRY });

async function rawPublish(topic: string, messages: readonly KafkaJsMessage[]): Promise<void> {
  for (const batch of batches(messages)) await rawProducer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: batch }] });
}

async function frameworkPublish(broker: KafkaMessageBroker, events: readonly UserCreatedEvent[]): Promise<void> {
  for (const batch of batches(events)) await broker.sendMessages(batch.map((event): Message => messageFromEvent(event)));
}

/** What one consume took, from the first record to the last: wall seconds and the process's CPU seconds. */
interface Took {
  readonly seconds: number;
  readonly cpuSeconds: number;
}

/** Times `count` records from the first to the last. */
function clock(count: number): { tick: () => void; done: Promise<Took> } {
  let first: bigint | undefined;
  let cpu: NodeJS.CpuUsage | undefined;
  let seen = 0;
  let finish!: (took: Took) => void;
  const done = new Promise<Took>((resolve) => (finish = resolve));
  return {
    tick: () => {
      if (first === undefined) {
        first = process.hrtime.bigint();
        cpu = process.cpuUsage();
      }
      seen += 1;
      if (seen === count) {
        const used = process.cpuUsage(cpu);
        finish({ seconds: Number(process.hrtime.bigint() - first) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 });
      }
    },
    done,
  };
}

/** Raw kafkajs: eachBatch over the same concurrency, commit per batch; `decode` adds the Protobuf body decode. */
async function rawConsume(topic: string, count: number, decode: boolean): Promise<Took> {
  settleHeap();
  const consumer = rawKafka.consumer({ groupId: `bench-raw-${randomUUID()}`, maxWaitTimeInMs: 100, retry: RETRY });
  const { tick, done } = clock(count);
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: CONCURRENCY,
    eachBatch: async (payload) => {
      for (const message of payload.batch.messages) {
        if (decode && message.value !== null) fromBinary(UserCreatedSchema, message.value.subarray(6));
        payload.resolveOffset(message.offset);
        tick();
      }
    },
  });
  const took = await done;
  await consumer.disconnect();
  return took;
}

async function frameworkConsume(topic: string, count: number, deserializer: ProtobufValueDeserializer<typeof UserCreatedSchema, UserCreatedEvent>): Promise<Took> {
  settleHeap();
  const mediator = bootstrapEvents({ eventsMapper: (mapper) => mapper.bind(UserCreatedEvent, CountingHandler), logger: silentLogger });
  const consumer = new KafkaConsumer({ bootstrapServers: BROKERS, groupId: `bench-fw-${randomUUID()}`, maxWaitTimeMs: 100, partitionsConsumedConcurrently: CONCURRENCY, logger: silentLogger });
  const { tick, done } = clock(count);
  onHandled = tick;
  consumer.subscribe({ topics: [topic], valueDeserializer: deserializer }, dispatchTo(mediator));
  await consumer.start();
  const took = await done;
  await consumer.stop();
  return took;
}

/** CPU-bound cost of serializing `events` alone, in seconds (no network). */
async function serializeOnly(serializer: ProtobufValueSerializer, events: readonly UserCreatedEvent[]): Promise<number> {
  return timed(async () => {
    for (const event of events) {
      const encoded = serializer.serialize(messageFromEvent(event));
      if (encoded instanceof Promise) await encoded;
    }
  });
}

/** CPU-bound cost of decoding and validating `values` alone, in seconds (no network). */
async function deserializeOnly(deserializer: ProtobufValueDeserializer<typeof UserCreatedSchema, UserCreatedEvent>, values: readonly Buffer[], topic: string): Promise<number> {
  return timed(async () => {
    for (const value of values) {
      const decoded = deserializer.deserialize(value, { topic });
      if (decoded instanceof Promise) await decoded;
    }
  });
}

function rate(events: number, seconds: number): string {
  return `${Math.round(events / seconds).toLocaleString('en-US')} ev/s`;
}

async function main(): Promise<void> {
  const id = randomUUID().slice(0, 8);
  const topics = { warmRaw: `bench-warm-raw-${id}`, warmFw: `bench-warm-fw-${id}`, raw: `bench-raw-${id}`, fw: `bench-fw-${id}` };
  const admin = rawKafka.admin();
  await admin.connect();
  await createBenchTopics(admin, Object.values(topics), PARTITIONS);

  const registry = { url: REGISTRY_URL };
  const serializer = new ProtobufValueSerializer({ registry });
  const producer = new KafkaProducerAdapter({ bootstrapServers: BROKERS, clientId: 'bench-fw', logLevel: 'error' });
  const broker = new KafkaMessageBroker({ producer, valueSerializer: serializer });
  const deserializer = new ProtobufValueDeserializer<typeof UserCreatedSchema, UserCreatedEvent>({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });

  try {
    console.log(machineLine());
    console.log(`Kafka at ${BROKERS}, registry ${REGISTRY_URL}: ${EVENTS.toLocaleString('en-US')} UserCreated events (Protobuf), batches of ${BATCH}, acks all, ${PARTITIONS} partitions, ${CONCURRENCY} consumed at once`);
    // Warm-up: JIT, connections, schema ids, metadata; separate topics so the timed ones start empty.
    await rawProducer.connect();
    await frameworkPublish(broker, makeEvents(WARMUP, topics.warmFw));
    await rawPublish(topics.warmRaw, await preSerialize(serializer, makeEvents(WARMUP, topics.warmRaw)));
    await frameworkConsume(topics.warmFw, WARMUP, deserializer);
    await rawConsume(topics.warmRaw, WARMUP, true);

    const rawMessages = await preSerialize(serializer, makeEvents(EVENTS, topics.raw));
    const fwEvents = makeEvents(EVENTS, topics.fw);
    const times = { rawPub: [] as number[], fwPub: [] as number[], rawCon: [] as number[], rawConDecode: [] as number[], fwCon: [] as number[] };
    // The process's CPU time of the same runs: it leaves out time spent waiting on the broker.
    const cpu = { rawPub: [] as number[], fwPub: [] as number[], rawConDecode: [] as number[], fwCon: [] as number[] };
    const record = (wall: number[], cpuSeconds: number[] | undefined, took: Took): void => {
      wall.push(took.seconds);
      cpuSeconds?.push(took.cpuSeconds);
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      // Each round appends to the same topics; a consumer reads the first EVENTS records of the framework's topic.
      const publishes = [
        async () => record(times.rawPub, cpu.rawPub, await timedWithCpu(() => rawPublish(topics.raw, rawMessages))),
        async () => record(times.fwPub, cpu.fwPub, await timedWithCpu(() => frameworkPublish(broker, fwEvents))),
      ];
      for (const publish of round % 2 === 0 ? publishes : publishes.reverse()) await publish();
      const consumes = [
        async () => record(times.rawCon, undefined, await rawConsume(topics.fw, EVENTS, false)),
        async () => record(times.rawConDecode, cpu.rawConDecode, await rawConsume(topics.fw, EVENTS, true)),
        async () => {
          handledByMediator = 0;
          record(times.fwCon, cpu.fwCon, await frameworkConsume(topics.fw, EVENTS, deserializer));
          if (handledByMediator < EVENTS) throw new Error(`the EventMediator handled ${handledByMediator} of ${EVENTS} events`);
        },
      ];
      for (const consume of round % 2 === 0 ? consumes : consumes.reverse()) await consume();
    }
    const serializeSeconds = await serializeOnly(serializer, fwEvents);
    const deserializeSeconds = await deserializeOnly(deserializer, rawMessages.map((message) => message.value as Buffer), topics.raw);

    /** Rounds' ratios of times: the baseline's time over the case's. */
    const ratio = (baseline: readonly number[], measured: readonly number[]): string => roundRatio(measured, baseline);
    // Consumers against both baselines: raw bytes only, and raw bytes decoded with fromBinary.
    const rows: [string, string, string, string][] = [
      ['publish  raw kafkajs sendBatch (pre-serialized)', rate(EVENTS, median(times.rawPub)), '1.00', ''],
      ['publish  KafkaMessageBroker.sendMessages', rate(EVENTS, median(times.fwPub)), ratio(times.rawPub, times.fwPub), ''],
      ['consume  raw kafkajs eachBatch (no decode)', rate(EVENTS, median(times.rawCon)), '1.00', ratio(times.rawConDecode, times.rawCon)],
      ['consume  raw kafkajs + Protobuf fromBinary', rate(EVENTS, median(times.rawConDecode)), ratio(times.rawCon, times.rawConDecode), '1.00'],
      ['consume  KafkaConsumer → EventMediator', rate(EVENTS, median(times.fwCon)), ratio(times.rawCon, times.fwCon), ratio(times.rawConDecode, times.fwCon)],
    ];
    console.log(`median of ${ROUNDS} rounds; ratios: median (lowest–highest) of the rounds' ratios`);
    const perRound = (label: string, seconds: readonly number[]): string => `${label} ${seconds.map((s) => Math.round(EVENTS / s).toLocaleString('en-US')).join(' / ')}`;
    console.log(`rounds, ev/s: ${[perRound('raw pub', times.rawPub), perRound('fw pub', times.fwPub), perRound('raw con', times.rawCon), perRound('raw+decode', times.rawConDecode), perRound('fw con', times.fwCon)].join('; ')}`);
    console.log(`${'case'.padEnd(50)}${'throughput'.padStart(16)}${'vs raw'.padStart(20)}${'vs raw+fromBinary'.padStart(22)}`);
    for (const [name, throughput, vsRaw, vsDecode] of rows) console.log(`${name.padEnd(50)}${throughput.padStart(16)}${vsRaw.padStart(20)}${vsDecode.padStart(22)}`);
    console.log(`of which Protobuf alone, no I/O: serialize ${rate(EVENTS, serializeSeconds)} (${((serializeSeconds / EVENTS) * 1e6).toFixed(1)} µs/event), deserialize + validate ${rate(EVENTS, deserializeSeconds)} (${((deserializeSeconds / EVENTS) * 1e6).toFixed(1)} µs/event)`);
    const perEvent = (seconds: readonly number[]): string => `${((median(seconds) / EVENTS) * 1e6).toFixed(1)} µs`;
    console.log(
      `CPU per event (this process): publish raw ${perEvent(cpu.rawPub)}, framework ${perEvent(cpu.fwPub)}, raw/framework ${ratio(cpu.rawPub, cpu.fwPub)}; consume raw + fromBinary ${perEvent(cpu.rawConDecode)}, framework ${perEvent(cpu.fwCon)}, raw/framework ${ratio(cpu.rawConDecode, cpu.fwCon)}`,
    );
    console.log(`publish: KafkaMessageBroker (serializing as it sends) / raw kafkajs (bytes ready) = ${ratio(times.rawPub, times.fwPub)} (goal ≥ 0.90)`);
    console.log(`consume: KafkaConsumer (frame check, decode, validation, mediator, ordered commits) / raw + fromBinary = ${ratio(times.rawConDecode, times.fwCon)} (goal ≥ 0.85)`);
  } finally {
    await broker.close();
    await rawProducer.disconnect();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
