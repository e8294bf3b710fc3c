import * as amqplib from 'amqplib';

/** Broker and management addresses, from the environment with loopback defaults. */
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const MANAGEMENT_URL = process.env.RABBITMQ_MANAGEMENT_URL ?? 'http://127.0.0.1:15672';

/** Management API credentials: from the URL when it has them, else the variables `scripts/services env` exports. */
function managementCredentials(url: URL): string {
  const user = decodeURIComponent(url.username) || process.env.RABBITMQ_MANAGEMENT_USER || 'guest';
  const password = decodeURIComponent(url.password) || process.env.RABBITMQ_MANAGEMENT_PASSWORD || 'guest';
  return Buffer.from(`${user}:${password}`).toString('base64');
}

/** Calls the management HTTP API; a 404 gives `undefined`. */
export async function management(method: 'GET' | 'DELETE' | 'PUT', path: string): Promise<unknown> {
  const base = new URL(MANAGEMENT_URL);
  const auth = managementCredentials(base);
  base.username = '';
  base.password = '';
  const response = await fetch(new URL(`/api${path}`, base), { method, headers: { authorization: `Basic ${auth}` } });
  if (!response.ok && response.status !== 404) throw new Error(`management ${method} ${path}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text.length === 0 ? undefined : (JSON.parse(text) as unknown);
}

/** Names of the open connections whose client-given name is `connectionName`. */
export async function connectionsNamed(connectionName: string): Promise<string[]> {
  const connections = (await management('GET', '/connections')) as { name: string; client_properties?: { connection_name?: string } }[];
  return connections.filter((c) => c.client_properties?.connection_name === connectionName).map((c) => c.name);
}

/** Closes every connection named `connectionName` from the server side, as a broker restart or an operator would. */
export async function closeConnectionsNamed(connectionName: string): Promise<number> {
  const names = await connectionsNamed(connectionName);
  for (const name of names) await management('DELETE', `/connections/${encodeURIComponent(name)}`);
  return names.length;
}

/** Counts of a queue as the management API reports them (refreshed every few seconds by RabbitMQ). */
export async function queueInfo(queue: string): Promise<{ messages: number; messages_unacknowledged: number } | undefined> {
  return (await management('GET', `/queues/%2F/${encodeURIComponent(queue)}`)) as { messages: number; messages_unacknowledged: number } | undefined;
}

/** A raw amqplib connection for test set-up and inspection. */
export async function rawChannel(): Promise<{ channel: amqplib.Channel; close: () => Promise<void> }> {
  const connection = await amqplib.connect(AMQP_URL);
  const channel = await connection.createChannel();
  return {
    channel,
    close: async () => {
      await connection.close().catch(() => undefined);
    },
  };
}

/** Reads every message currently in `queue` (acking them). */
export async function drainQueue(channel: amqplib.Channel, queue: string): Promise<amqplib.GetMessage[]> {
  const messages: amqplib.GetMessage[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (message === false) return messages;
    messages.push(message);
  }
}

/** Deletes the queues and exchanges a test created. */
export async function deleteTopology(queues: readonly string[], exchanges: readonly string[]): Promise<void> {
  const { channel, close } = await rawChannel();
  try {
    for (const queue of queues) await channel.deleteQueue(queue);
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
  } finally {
    await close();
  }
}

/** The queues a consumer declares for `queue` with `maxAttempts`. */
export function queuesOf(queue: string, maxAttempts: number): string[] {
  return [queue, `${queue}.dlq`, ...Array.from({ length: Math.max(1, maxAttempts - 1) }, (_, i) => `${queue}.retry.${i + 1}`)];
}
