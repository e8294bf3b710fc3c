// RabbitMQ publish and consume through AMQPMessageBroker and AMQPConsumer, against raw amqplib
// with publisher confirms and the same prefetch, measured in the same run.
//
//   pnpm turbo run build --filter=@cqrs/bench...   (services up: bash scripts/services up rabbitmq)
//   node bench/dist/rabbitmq.js
//
// Each case runs BENCH_ROUNDS times, the cases of a round in turn and their order alternating
// between rounds; the table shows each case's median, and each ratio is the median of the
// rounds' ratios. Every publish goes to the same queue, emptied after it; every consume reads the
// same queue, filled by the framework's publisher just before it, so no case meets a queue the
// others did not (a consumer timed right after a fill of its own once ran at half the speed of
// one that was not).
//
// Environment: AMQP_URL, BENCH_EVENTS (default 50000), BENCH_BATCH (default 1000), BENCH_PREFETCH
// (default 64), BENCH_ROUNDS (default 5).
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { JsonValueDeserializer, NotificationEvent, messageFromEvent, silentLogger } from '@cqrs/core';
import { AMQPConsumer, AMQPMessageBroker, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { queueTopology } from '@cqrs/rabbitmq/transport';
import * as amqplib from 'amqplib';
import { median, roundRatio } from './lib';

const URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1_000);
const PREFETCH = Number(process.env.BENCH_PREFETCH ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = Math.min(5_000, EVENTS);

interface OrderPayload {
  readonly orderId: string;
  readonly customerId: string;
  readonly amountCents: number;
  readonly currency: string;
}

class OrderPlacedEvent extends NotificationEvent<OrderPayload> {}

function makeEvents(count: number, topic: string): OrderPlacedEvent[] {
  return Array.from(
    { length: count },
    (_, i) => new OrderPlacedEvent({ eventName: 'order_placed', topic, payload: { orderId: `order-${i}`, customerId: `customer-${i % 97}`, amountCents: 1999 + i, currency: 'EUR' } }),
  );
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * Raw amqplib: JSON bytes, the properties a hand-written producer would set, confirms awaited
 * per batch; `headers` adds the headers the framework writes (name, id, content type).
 */
async function rawPublish(channel: amqplib.ConfirmChannel, exchange: string, events: readonly OrderPlacedEvent[], headers = false): Promise<void> {
  for (let start = 0; start < events.length; start += BATCH) {
    const confirms: Promise<void>[] = [];
    for (const event of events.slice(start, start + BATCH)) {
      const content = Buffer.from(JSON.stringify(event.toJSON()));
      let flowing = true;
      confirms.push(
        new Promise<void>((resolve, reject) => {
          const properties: amqplib.Options.Publish = { persistent: true, messageId: event.eventId, contentType: 'application/json', type: event.eventName };
          if (headers) {
            properties.timestamp = Math.floor(Date.now() / 1000);
            properties.headers = { 'content-type': 'application/json', message_name: event.eventName, message_id: event.eventId };
          }
          flowing = channel.publish(exchange, event.topic, content, properties, (error: unknown) =>
            error === null || error === undefined ? resolve() : reject(error instanceof Error ? error : new Error(String(error))),
          );
        }),
      );
      // Same back-pressure as the framework: wait for the socket to drain.
      if (!flowing) await new Promise((drained) => channel.once('drain', drained));
    }
    await Promise.all(confirms);
  }
}

async function frameworkPublish(broker: AMQPMessageBroker, events: readonly OrderPlacedEvent[]): Promise<void> {
  for (let start = 0; start < events.length; start += BATCH) {
    await broker.sendMessages(events.slice(start, start + BATCH).map((event) => messageFromEvent(event)));
  }
}

/** Raw amqplib consumer: JSON.parse, then ack; `decode` adds the framework's validation for a like-for-like baseline. */
async function rawConsume(connection: amqplib.ChannelModel, queue: string, count: number, decode: boolean): Promise<void> {
  const channel = await connection.createChannel();
  await channel.prefetch(PREFETCH);
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    void channel
      .consume(queue, (message) => {
        if (message === null) return;
        const data: unknown = JSON.parse(message.content.toString('utf8'));
        if (decode) OrderPlacedEvent.parse(data, { topic: message.fields.routingKey });
        channel.ack(message);
        seen += 1;
        if (seen === count) resolve();
      })
      .catch(reject);
  });
  await channel.close();
}

async function frameworkConsume(exchangeName: string, queue: string, bindingKey: string, count: number): Promise<void> {
  let seen = 0;
  let done = (): void => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const consumer = new AMQPConsumer({ url: URL, exchangeName, prefetch: PREFETCH, logger: silentLogger }).subscribe(
    { topics: [bindingKey], queue, valueDeserializer: new JsonValueDeserializer<OrderPlacedEvent>({ model: OrderPlacedEvent }) },
    (body, msg) => {
      if (!(body instanceof OrderPlacedEvent)) return msg.nack();
      seen += 1;
      if (seen === count) done();
    },
  );
  await consumer.start();
  await finished;
  await consumer.stop();
}

async function main(): Promise<void> {
  const id = randomUUID().slice(0, 8);
  const exchange = `bench-${id}`;
  const sinkQueue = `bench-sink-${id}`;
  const consumedQueue = `bench-consumed-${id}`;
  const connection = await amqplib.connect(URL);
  const setup = await connection.createChannel();
  await setup.assertExchange(exchange, 'topic', { durable: true });
  // Where every publish lands (routing key 'pub'), emptied after each.
  await setup.assertQueue(sinkQueue, { durable: true });
  await setup.bindQueue(sinkQueue, exchange, 'pub');
  // What every consumer reads (routing key 'con'), with the arguments AMQPConsumer declares, so its start() finds it as is.
  const topology = queueTopology({ exchange, deadLetterExchange: `${exchange}.dlx`, queue: consumedQueue, bindingKeys: ['con'], maxAttempts: 3 });
  await setup.assertExchange(topology.deadLetterExchange, 'direct', { durable: true });
  await setup.assertQueue(consumedQueue, { durable: true, arguments: topology.queue.arguments });
  await setup.bindQueue(consumedQueue, exchange, 'con');

  const confirm = await connection.createConfirmChannel();
  const publisher = new AMQPPublisherAdapter({ url: URL, logger: silentLogger, connectionName: 'bench-publisher' });
  const broker = new AMQPMessageBroker({ publisher, exchangeName: exchange });
  const toPublish = makeEvents(EVENTS, 'pub');
  const toConsume = makeEvents(EVENTS, 'con');

  try {
    console.log(`RabbitMQ at ${URL.replace(/\/\/[^@]*@/, '//')}: ${EVENTS.toLocaleString('en-US')} events, batches of ${BATCH}, prefetch ${PREFETCH}, persistent, confirms, ${ROUNDS} rounds`);
    // Warm-up: JIT, connections, exchange declaration; each path once, its messages consumed or dropped.
    await rawPublish(confirm, exchange, makeEvents(WARMUP, 'pub'), true);
    await frameworkPublish(broker, makeEvents(WARMUP, 'pub'));
    await setup.purgeQueue(sinkQueue);
    for (const consume of [() => rawConsume(connection, consumedQueue, WARMUP, true), () => frameworkConsume(exchange, consumedQueue, 'con', WARMUP)]) {
      await frameworkPublish(broker, makeEvents(WARMUP, 'con'));
      await consume();
    }

    const rates = { rawPub: [] as number[], rawPubHeaders: [] as number[], fwPub: [] as number[], rawCon: [] as number[], rawConDecode: [] as number[], fwCon: [] as number[] };
    const publishCase = (into: number[], publish: () => Promise<void>) => async (): Promise<void> => {
      into.push(EVENTS / (await timed(publish)));
      await setup.purgeQueue(sinkQueue);
    };
    const consumeCase = (into: number[], consume: () => Promise<void>) => async (): Promise<void> => {
      await frameworkPublish(broker, toConsume);
      into.push(EVENTS / (await timed(consume)));
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      const cases = [
        publishCase(rates.rawPub, () => rawPublish(confirm, exchange, toPublish)),
        publishCase(rates.rawPubHeaders, () => rawPublish(confirm, exchange, toPublish, true)),
        publishCase(rates.fwPub, () => frameworkPublish(broker, toPublish)),
        consumeCase(rates.rawCon, () => rawConsume(connection, consumedQueue, EVENTS, false)),
        consumeCase(rates.rawConDecode, () => rawConsume(connection, consumedQueue, EVENTS, true)),
        consumeCase(rates.fwCon, () => frameworkConsume(exchange, consumedQueue, 'con', EVENTS)),
      ];
      for (const run of round % 2 === 0 ? cases : cases.reverse()) await run();
    }

    const rate = (values: readonly number[]): string => `${Math.round(median(values)).toLocaleString('en-US')} ev/s`;
    const rows: [string, string, string][] = [
      ['publish  raw amqplib (confirm channel)', rate(rates.rawPub), '1.00'],
      ['publish  raw amqplib + the same headers', rate(rates.rawPubHeaders), roundRatio(rates.rawPub, rates.rawPubHeaders)],
      ['publish  AMQPMessageBroker.sendMessages', rate(rates.fwPub), roundRatio(rates.rawPub, rates.fwPub)],
      ['consume  raw amqplib (JSON.parse + ack)', rate(rates.rawCon), '1.00'],
      ['consume  raw amqplib + event validation', rate(rates.rawConDecode), roundRatio(rates.rawCon, rates.rawConDecode)],
      ['consume  AMQPConsumer (decode, handler, ack)', rate(rates.fwCon), roundRatio(rates.rawCon, rates.fwCon)],
    ];
    console.log(`median of ${ROUNDS} rounds; ratios: median (lowest–highest) of the rounds' ratios`);
    console.log(`${'case'.padEnd(46)}${'throughput'.padStart(16)}${'vs raw'.padStart(20)}`);
    for (const [name, throughput, ratio] of rows) console.log(`${name.padEnd(46)}${throughput.padStart(16)}${ratio.padStart(20)}`);
    console.log(`AMQPMessageBroker vs raw with the same headers: ${roundRatio(rates.rawPubHeaders, rates.fwPub)}`);
    console.log(`AMQPConsumer vs raw with the same validation: ${roundRatio(rates.rawConDecode, rates.fwCon)}`);
  } finally {
    await broker.close();
    for (const queue of [sinkQueue, ...[topology.queue, topology.deadLetterQueue, ...topology.retryQueues].map((q) => q.name)]) await setup.deleteQueue(queue);
    await setup.deleteExchange(exchange);
    await setup.deleteExchange(topology.deadLetterExchange);
    await connection.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
