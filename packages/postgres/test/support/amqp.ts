import * as amqplib from 'amqplib';

/** `scripts/services env`'s AMQP_URL, loopback default. */
export const amqpUrl = new URL(process.env.AMQP_URL?.trim() || 'amqp://guest:guest@127.0.0.1:5672');

/** Deletes a consumer's queue with its dead-letter and retry queues, and the exchanges (each delete is a no-op when absent). */
export async function deleteAmqpTopology(queue: string, exchanges: readonly string[]): Promise<void> {
  const connection = await amqplib.connect(amqpUrl.href);
  try {
    const channel = await connection.createChannel();
    for (const name of [queue, `${queue}.dlq`, `${queue}.retry.1`, `${queue}.retry.2`]) await channel.deleteQueue(name);
    for (const exchange of exchanges) await channel.deleteExchange(exchange);
  } finally {
    await connection.close().catch(() => undefined);
  }
}
