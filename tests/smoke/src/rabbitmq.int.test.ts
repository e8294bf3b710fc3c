import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { basicAuth, serviceEnv } from './service-env.js';
import { uniqueName, waitFor } from './wait-for.js';

// Jest's default of 5 s is too short for a first connection to a service.
const TIMEOUT_MS = 60_000;

const { url, management } = serviceEnv.rabbitmq;

function managementFetch(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${management.url}/api${path}`, {
    ...init,
    headers: { authorization: basicAuth(management.username, management.password), ...init.headers },
  });
}

describe('RabbitMQ', () => {
  test('publishes and gets one message', async () => {
    const connection = await amqp.connect(url);
    try {
      const channel = await connection.createChannel();
      const queue = uniqueName('smoke');
      await channel.assertQueue(queue, { exclusive: true, autoDelete: true });
      const body = `hello ${randomUUID()}`;
      channel.sendToQueue(queue, Buffer.from(body), { contentType: 'text/plain', messageId: 'smoke-1' });

      const message = await waitFor(() => channel.get(queue, { noAck: true }), {
        description: `a message on ${queue}`,
      });
      expect(message.content.toString()).toBe(body);
      expect(message.properties.messageId).toBe('smoke-1');
      await channel.close();
    } finally {
      await connection.close();
    }
  }, TIMEOUT_MS);

  test('the management API lists and closes a named connection', async () => {
    const name = uniqueName('smoke-connection');
    const connection = await amqp.connect(url, { clientProperties: { connection_name: name } });
    const closed = new Promise<void>((resolve) => connection.once('close', () => resolve()));
    connection.on('error', () => undefined); // a forced close is reported as an error too

    const listed = await waitFor(
      async () => {
        const res = await managementFetch('/connections?columns=name,client_properties');
        if (res.status !== 200) throw new Error(`GET /api/connections: ${res.status}`);
        const all = (await res.json()) as Array<{ name: string; client_properties?: { connection_name?: string } }>;
        return all.find((c) => c.client_properties?.connection_name === name);
      },
      { description: `connection ${name} in the management API` },
    );

    const res = await managementFetch(`/connections/${encodeURIComponent(listed.name)}`, {
      method: 'DELETE',
      headers: { 'x-reason': 'smoke test' },
    });
    expect(res.status).toBe(204);
    await closed;
  }, TIMEOUT_MS);
});
