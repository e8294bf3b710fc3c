import { randomUUID } from 'node:crypto';
import { main as completeConsumer } from '../src/kafka/complete-consumer';
import { main as completeProducer } from '../src/kafka/complete-producer';
import { main as everyFieldKind } from '../src/kafka/every-field-kind';
import { main as consumer } from '../src/kafka/protobuf-consumer';
import { main as producer } from '../src/kafka/protobuf-producer';
import { main as sslProducer } from '../src/kafka/ssl-producer';

// jest reads testTimeout only from the root config, not from a project's: set it here.
jest.setTimeout(60_000);

const brokers = process.env.KAFKA_BROKERS || '127.0.0.1:9092';
process.env.KAFKA_SCHEMA_REGISTRY_URL ||= 'http://127.0.0.1:8085/apis/ccompat/v7';
process.env.KAFKA_SASL_BROKERS ||= '127.0.0.1:9094';
process.env.KAFKA_SASL_USERNAME ||= 'cqrs';
process.env.KAFKA_SASL_PASSWORD ||= 'cqrs-secret';
process.env.KAFKA_SSL_CA_FILE ||= `${process.env.CQRS_SERVICES_HOME || '/var/tmp/cqrs-services'}/kafka/tls/ca.pem`;

const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

beforeAll(() => {
  for (const method of ['log', 'info'] as const) jest.spyOn(console, method).mockImplementation(() => undefined);
});

afterAll(() => {
  jest.restoreAllMocks();
});

test('the complete producer and consumer examples round-trip an event through real Kafka and the registry', async () => {
  const topic = unique('examples-complete');
  const eventId = await completeProducer({ brokers, topic });
  const events = await completeConsumer({ brokers, topic, groupId: unique('protobuf-service'), stopAfter: 1 });
  expect(events.map((event) => [event.eventId, event.topic, event.payload])).toEqual([[eventId, topic, { userId: '123', email: 'user@example.com', name: 'John Doe' }]]);
});

test('the mediator producer and the SSL producer feed the Protobuf consumer example', async () => {
  const topic = unique('examples-proto');
  await expect(producer({ brokers, topic })).resolves.toBe('123');
  const secureId = await sslProducer({ brokers, topic });
  const events = await consumer({ brokers, topic, groupId: unique('protobuf-consumers'), stopAfter: 2 });
  expect(events.map((event) => event.payload.userId).sort()).toEqual(['123', '789']);
  expect(events.map((event) => event.eventId)).toContain(secureId);
});

test('the every-field-kind example carries each kind of field through real Kafka and the registry', async () => {
  const { sent, received } = await everyFieldKind({ brokers, topic: unique('examples-every-field-kind'), groupId: unique('every-field-kind') });
  expect(received).toHaveLength(1);
  expect(received[0]!.payload).toEqual(sent.payload);
  expect(received[0]!.eventTimestamp).toEqual(sent.eventTimestamp);
});
