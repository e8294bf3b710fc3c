import { randomUUID } from 'node:crypto';
import { main as consume } from '../src/rabbitmq/protobuf-consumer';
import { main as produce } from '../src/rabbitmq/protobuf-producer';

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const MANAGEMENT_URL = new URL(process.env.RABBITMQ_MANAGEMENT_URL ?? 'http://127.0.0.1:15672');
const REGISTRY_URL = process.env.KAFKA_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8085/apis/ccompat/v7';

/** Calls the management API with the credentials `scripts/services env` exports (or those in its URL). */
function management(method: 'GET' | 'DELETE', path: string): Promise<Response> {
  const user = decodeURIComponent(MANAGEMENT_URL.username) || process.env.RABBITMQ_MANAGEMENT_USER || 'guest';
  const password = decodeURIComponent(MANAGEMENT_URL.password) || process.env.RABBITMQ_MANAGEMENT_PASSWORD || 'guest';
  const auth = Buffer.from(`${user}:${password}`).toString('base64');
  return fetch(`${MANAGEMENT_URL.protocol}//${MANAGEMENT_URL.host}/api${path}`, { method, headers: { authorization: `Basic ${auth}` } });
}

async function bindings(queue: string): Promise<{ routing_key: string }[]> {
  const response = await management('GET', `/queues/%2F/${encodeURIComponent(queue)}/bindings`);
  return response.ok ? ((await response.json()) as { routing_key: string }[]) : [];
}

async function waitFor(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

test('the producer and consumer examples run against real RabbitMQ with the schema registry', async () => {
  const id = randomUUID().slice(0, 8);
  const options = { url: AMQP_URL, registry: { url: REGISTRY_URL }, exchangeName: `examples-${id}`, queue: `protobuf-service-${id}`, topic: `user_events_proto_${id}` };
  const consuming = consume({ ...options, stopAfter: 2 });
  try {
    await waitFor('the consumer to bind its queue', async () => (await bindings(options.queue)).some((b) => b.routing_key === options.topic));
    await expect(produce(options)).resolves.toEqual(['123', '456']);
    const events = await consuming;
    expect(events.map((event) => event.payload.userId).sort()).toEqual(['123', '456']);
    expect(events.every((event) => event.topic === options.topic)).toBe(true);
  } finally {
    for (const queue of [options.queue, `${options.queue}.dlq`, `${options.queue}.retry.1`, `${options.queue}.retry.2`]) await management('DELETE', `/queues/%2F/${encodeURIComponent(queue)}`);
    for (const exchange of [options.exchangeName, `${options.exchangeName}.dlx`]) await management('DELETE', `/exchanges/%2F/${encodeURIComponent(exchange)}`);
  }
}, 60_000);
