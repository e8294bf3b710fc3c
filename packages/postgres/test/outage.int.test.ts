import { encodedValueSerializer, exponentialBackoff, silentLogger } from '@cqrs/core';
import { OutboxRelay, outboxMetrics } from '@cqrs/postgres';
import { AMQPMessageBroker, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { unique, waitFor } from '@cqrs/test-fixtures';
import * as amqplib from 'amqplib';
import { amqpUrl } from './support/amqp';
import { PlaceOrder, ordersApp } from './support/orders';
import { count, dropSchema, freshSchema, newPool } from './support/pg';
import { TcpProxy } from './support/tcp-proxy';

jest.setTimeout(120_000);

describe('commands during a RabbitMQ outage', () => {
  const pool = newPool();
  let schema: string;

  beforeAll(async () => {
    schema = await freshSchema(pool);
  });
  afterAll(async () => {
    await dropSchema(pool, schema);
    await pool.end();
  });

  test('all succeed, and every event is published once the broker is back: 0 lost', async () => {
    const exchange = unique('pg_outage');
    const queue = unique('pg_outage_q');
    // The test's own connection goes straight to RabbitMQ; the relay's goes through the proxy.
    const connection = await amqplib.connect(amqpUrl.href);
    const channel = await connection.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertQueue(queue, { durable: false });
    await channel.bindQueue(queue, exchange, '#');
    const received = new Map<string, number>();
    await channel.consume(queue, (msg) => {
      if (msg === null) return;
      const id = String(msg.properties.headers?.message_id ?? msg.properties.messageId);
      received.set(id, (received.get(id) ?? 0) + 1);
      channel.ack(msg);
    });

    const proxy = new TcpProxy(amqpUrl.hostname, Number(amqpUrl.port || 5672));
    await proxy.start();
    const viaProxy = new URL(amqpUrl.href);
    viaProxy.port = String(proxy.port);
    const broker = new AMQPMessageBroker({
      exchangeName: exchange,
      valueSerializer: encodedValueSerializer(),
      publisher: new AMQPPublisherAdapter({
        url: viaProxy.href,
        publishTimeoutMs: 1_500,
        connectTimeoutMs: 1_000,
        connectionRetry: { initialMs: 100, maxMs: 500 },
        logger: silentLogger,
      }),
    });
    const relay = new OutboxRelay({ pool, broker, schema, pollIntervalMs: 200, backoff: exponentialBackoff({ initialMs: 100, maxMs: 1_000 }), logger: silentLogger });
    const { mediator } = ordersApp(pool, schema);
    const topic = 'orders.placed';
    try {
      await relay.start();
      for (let i = 0; i < 50; i += 1) await mediator.send(new PlaceOrder(schema, topic, `before-${i}`, `c-${i % 5}`, i));
      await waitFor(() => received.size === 50, 'the events sent before the outage');

      await proxy.stop();
      // Commands keep arriving while the broker is unreachable, about 100 a second for 4 s.
      const during = 400;
      for (let i = 0; i < during; i += 1) {
        await mediator.send(new PlaceOrder(schema, topic, `during-${i}`, `c-${i % 5}`, i));
        if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const backlog = (await outboxMetrics(pool, { schema })).backlog;
      expect(backlog).toBeGreaterThan(0);
      expect(received.size).toBeLessThan(50 + during);

      await proxy.start();
      await waitFor(() => received.size === 50 + during, () => `${50 + during} events after the outage, have ${received.size}`, 90_000);
      const ids = (await pool.query<{ id: string }>(`SELECT id FROM ${schema}.cqrs_outbox`)).rows.map((r) => r.id);
      const lost = ids.filter((id) => !received.has(id)).length;
      expect(lost).toBe(0);
      await waitFor(async () => (await count(pool, `${schema}.cqrs_outbox`, 'published_at IS NULL')) === 0, 'every row marked');
      expect((await outboxMetrics(pool, { schema })).parked).toBe(0);
      const twice = [...received.values()].filter((n) => n > 1).length;
      process.stdout.write(`outage test: ${ids.length} events, ${backlog} waiting during the outage, ${lost} lost, ${twice} published twice\n`);
    } finally {
      await relay.stop();
      await proxy.start();
      // Closed while the proxy is up, so the close completes instead of waiting out closeTimeoutMs.
      await broker.close().catch(() => undefined);
      await proxy.stop();
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.deleteExchange(exchange).catch(() => undefined);
      await connection.close();
    }
  });
});
