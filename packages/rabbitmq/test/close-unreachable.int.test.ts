import * as net from 'node:net';
import { messageFromEvent, silentLogger } from '@cqrs/core';
import { AMQPClosedError, AMQPMessageBroker, AMQPPublisherAdapter, isAMQPError } from '@cqrs/rabbitmq';
import { unique } from '@cqrs/test-fixtures';
import { userCreated } from './events';
import { AMQP_URL, deleteTopology, rawChannel } from './helpers';

jest.setTimeout(30_000);

/** A TCP relay to RabbitMQ that can go silent: sockets stay open, bytes are swallowed both ways. */
async function blackHoleRelay(target: URL): Promise<{ port: number; silence(): void; close(): Promise<void> }> {
  let silent = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5672), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (bytes) => void (silent || upstream.write(bytes)));
    upstream.on('data', (bytes) => void (silent || client.write(bytes)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    silence: () => {
      silent = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

test('close() resolves while the server stopped answering, and the send it abandons fails with AMQPClosedError', async () => {
  const exchangeName = unique('close-silent');
  const queue = unique('close-silent-q');
  const relay = await blackHoleRelay(new URL(AMQP_URL));
  const viaRelay = new URL(AMQP_URL);
  viaRelay.hostname = '127.0.0.1';
  viaRelay.port = String(relay.port);
  const publisher = new AMQPPublisherAdapter({ url: viaRelay.href, logger: silentLogger, publishTimeoutMs: 60_000, closeTimeoutMs: 500, heartbeatSeconds: 0 });
  const broker = new AMQPMessageBroker({ publisher, exchangeName });
  const raw = await rawChannel();
  try {
    // The queue is bound before the first publish, so it is routable.
    await raw.channel.assertExchange(exchangeName, 'topic', { durable: true });
    await raw.channel.assertQueue(queue, { durable: true });
    await raw.channel.bindQueue(queue, exchangeName, 'users');
    await broker.sendMessage(messageFromEvent(userCreated('users', 'before')));

    relay.silence();
    const abandoned = broker.sendMessage(messageFromEvent(userCreated('users', 'during'))).then(() => 'confirmed', (error: unknown) => error);
    await broker.close();
    const outcome = await abandoned;
    expect(isAMQPError(outcome)).toBe(true);
    expect(outcome).toBeInstanceOf(AMQPClosedError);
    expect(publisher.connected).toBe(false);
  } finally {
    await relay.close();
    await deleteTopology([queue], [exchangeName]).catch(() => undefined);
    await raw.close();
  }
});
