// RabbitMQ publish and consume through AMQPMessageBroker and AMQPConsumer, against raw amqplib
// with publisher confirms and the same prefetch, measured in the same run.
//
//   pnpm turbo run build --filter=@cqrs/bench...   (services up: bash scripts/services up rabbitmq)
//   node bench/dist/rabbitmq.js
//
// Environment: AMQP_URL, BENCH_EVENTS (default 50000), BENCH_BATCH (default 1000), BENCH_PREFETCH (default 64).
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { JsonValueDeserializer, NotificationEvent, messageFromEvent, silentLogger } from '@cqrs/core';
import { AMQPConsumer, AMQPMessageBroker, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { queueTopology } from '@cqrs/rabbitmq/transport';
import * as amqplib from 'amqplib';

const URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1_000);
const PREFETCH = Number(process.env.BENCH_PREFETCH ?? 64);
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

function rate(events: number, seconds: number): string {
  return `${Math.round(events / seconds).toLocaleString('en-US')} ev/s`;
}

async function main(): Promise<void> {
  const id = randomUUID().slice(0, 8);
  const exchange = `bench-${id}`;
  const rawQueue = `bench-raw-${id}`;
  const fwQueue = `bench-fw-${id}`;
  const connection = await amqplib.connect(URL);
  const setup = await connection.createChannel();
  await setup.assertExchange(exchange, 'topic', { durable: true });
  await setup.assertQueue(rawQueue, { durable: true });
  await setup.bindQueue(rawQueue, exchange, 'raw');
  // The framework's queue with the arguments AMQPConsumer declares, so its start() finds it as is.
  const topology = queueTopology({ exchange, deadLetterExchange: `${exchange}.dlx`, queue: fwQueue, bindingKeys: ['fw'], maxAttempts: 3 });
  await setup.assertExchange(topology.deadLetterExchange, 'direct', { durable: true });
  await setup.assertQueue(fwQueue, { durable: true, arguments: topology.queue.arguments });
  await setup.bindQueue(fwQueue, exchange, 'fw');

  const confirm = await connection.createConfirmChannel();
  const publisher = new AMQPPublisherAdapter({ url: URL, logger: silentLogger, connectionName: 'bench-publisher' });
  const broker = new AMQPMessageBroker({ publisher, exchangeName: exchange });

  try {
    console.log(`RabbitMQ at ${URL.replace(/\/\/[^@]*@/, '//')}: ${EVENTS.toLocaleString('en-US')} events, batches of ${BATCH}, prefetch ${PREFETCH}, persistent, confirms`);
    // Warm-up: JIT, connections, exchange declaration; its messages are consumed in the warm-up too.
    await rawPublish(confirm, exchange, makeEvents(WARMUP, 'raw'));
    await frameworkPublish(broker, makeEvents(WARMUP, 'fw'));
    await rawConsume(connection, rawQueue, WARMUP, false);
    await frameworkConsume(exchange, fwQueue, 'fw', WARMUP);

    const rawEvents = makeEvents(EVENTS, 'raw');
    const fwEvents = makeEvents(EVENTS, 'fw');
    const rawPubHeaders = await timed(() => rawPublish(confirm, exchange, rawEvents, true));
    await setup.purgeQueue(rawQueue);
    const rawPub = await timed(() => rawPublish(confirm, exchange, rawEvents));
    const fwPub = await timed(() => frameworkPublish(broker, fwEvents));
    const rawCon = await timed(() => rawConsume(connection, rawQueue, EVENTS, false));
    const fwCon = await timed(() => frameworkConsume(exchange, fwQueue, 'fw', EVENTS));
    // Like-for-like: raw consume with the same JSON validation; refill its queue first.
    await rawPublish(confirm, exchange, rawEvents);
    const rawConDecode = await timed(() => rawConsume(connection, rawQueue, EVENTS, true));

    const rows: [string, string, string][] = [
      ['publish  raw amqplib (confirm channel)', rate(EVENTS, rawPub), '1.00'],
      ['publish  raw amqplib + the same headers', rate(EVENTS, rawPubHeaders), (rawPub / rawPubHeaders).toFixed(2)],
      ['publish  AMQPMessageBroker.sendMessages', rate(EVENTS, fwPub), (rawPub / fwPub).toFixed(2)],
      ['consume  raw amqplib (JSON.parse + ack)', rate(EVENTS, rawCon), '1.00'],
      ['consume  raw amqplib + event validation', rate(EVENTS, rawConDecode), (rawCon / rawConDecode).toFixed(2)],
      ['consume  AMQPConsumer (decode, handler, ack)', rate(EVENTS, fwCon), (rawCon / fwCon).toFixed(2)],
    ];
    console.log(`${'case'.padEnd(46)}${'throughput'.padStart(16)}${'vs raw'.padStart(10)}`);
    for (const [name, throughput, ratio] of rows) console.log(`${name.padEnd(46)}${throughput.padStart(16)}${ratio.padStart(10)}`);
    console.log(`AMQPMessageBroker vs raw with the same headers: ${(rawPubHeaders / fwPub).toFixed(2)}`);
    console.log(`AMQPConsumer vs raw with the same validation: ${(rawConDecode / fwCon).toFixed(2)}`);
  } finally {
    await broker.close();
    for (const queue of [rawQueue, ...[topology.queue, topology.deadLetterQueue, ...topology.retryQueues].map((q) => q.name)]) await setup.deleteQueue(queue);
    await setup.deleteExchange(exchange);
    await setup.deleteExchange(topology.deadLetterExchange);
    await connection.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
