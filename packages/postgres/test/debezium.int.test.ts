import { EventRaisingHandler, JsonValueDeserializer, NotificationEvent, Request, bootstrap, jsonValueSerializer, silentLogger, type ValueSerializer } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { KafkaConsumer, type KafkaConsumedMessage } from '@cqrs/kafka';
import { PgOutbox, PgUnitOfWork, unitOfWorkMiddleware } from '@cqrs/postgres';
import { ProtobufValueDeserializer, ProtobufValueSerializer } from '@cqrs/protobuf';
import { UserCreatedEvent, unique, waitFor } from '@cqrs/test-fixtures';
import type { PoolClient } from 'pg';
import { createTopic, kafkaBrokers } from './support/kafka';
import { startOutboxConnector } from './support/debezium';
import { dropSchema, freshSchema, newPool } from './support/pg';

jest.setTimeout(120_000);

const registry = { url: process.env.KAFKA_SCHEMA_REGISTRY_URL?.trim() || 'http://127.0.0.1:8085/apis/ccompat/v7' };

/** A command that raises the event it carries, committed through the outbox. */
class CreateUser extends Request<void> {
  constructor(readonly event: NotificationEvent<unknown>) {
    super();
  }
}
class CreateUserHandler extends EventRaisingHandler<CreateUser> {
  handle(command: CreateUser): void {
    this.raise(command.event);
  }
}

interface StoredRow {
  readonly id: string;
  readonly aggregateid: string | null;
  readonly payload: Buffer;
  readonly headers: Record<string, string>;
}

describe('Debezium reads the outbox table and publishes what the relay would', () => {
  const pool = newPool();
  let schema: string;
  let connector: { stop: () => Promise<void> } | undefined;

  beforeEach(async () => {
    schema = await freshSchema(pool);
  });
  afterEach(async () => {
    await connector?.stop();
    connector = undefined;
    await dropSchema(pool, schema);
  });
  afterAll(async () => {
    await pool.end();
  });

  async function roundTrip(format: 'json' | 'protobuf', serializer: ValueSerializer, deserializer: JsonValueDeserializer<UserCreatedEvent> | ProtobufValueDeserializer<typeof UserCreatedSchema, UserCreatedEvent>) {
    connector = await startOutboxConnector(pool, schema, format);
    const topic = unique('pg_debezium');
    await createTopic(topic, 3);
    const unitOfWork = new PgUnitOfWork<PoolClient>({ pool });
    const mediator = bootstrap({
      commandsMapper: (m) => m.bind(CreateUser, CreateUserHandler),
      middlewares: [unitOfWorkMiddleware(unitOfWork)],
      outbox: new PgOutbox({ transaction: unitOfWork.transaction, schema, serializer }),
      logger: silentLogger,
    });
    const event = new UserCreatedEvent({ eventName: 'user_created', topic, key: 'user-42', payload: { userId: 'user-42', email: 'ada@example.com', name: 'Ada' } });
    const received: { body: unknown; msg: KafkaConsumedMessage }[] = [];
    const consumer = new KafkaConsumer({ bootstrapServers: kafkaBrokers, logLevel: 'error', groupId: unique('pg-debezium'), fromBeginning: true, maxWaitTimeMs: 200 });
    consumer.subscribe({ topics: [topic], valueDeserializer: deserializer }, (body, msg) => {
      received.push({ body, msg });
    });
    await consumer.start();
    try {
      await mediator.send(new CreateUser(event));
      await waitFor(() => received.length >= 1, 'the event through Debezium', 60_000);
    } finally {
      await consumer.stop();
    }
    const row = (await pool.query<StoredRow>(`SELECT id, aggregateid, payload, headers FROM ${schema}.cqrs_outbox`)).rows[0]!;
    return { event, row, received };
  }

  function expectSameRecord(row: StoredRow, msg: KafkaConsumedMessage): void {
    expect(msg.key).toBe(row.aggregateid);
    expect(Buffer.from(msg.value!).equals(row.payload)).toBe(true);
    // Every header the relay would write, with the same value (EventRouter adds its own `id`).
    expect(msg.headers).toMatchObject(row.headers);
  }

  test('JSON: same key, headers and bytes, decoded by our KafkaConsumer', async () => {
    const { event, row, received } = await roundTrip(
      'json',
      jsonValueSerializer,
      new JsonValueDeserializer({ model: UserCreatedEvent }),
    );
    expect(received).toHaveLength(1);
    expectSameRecord(row, received[0]!.msg);
    const body = received[0]!.body as UserCreatedEvent;
    expect(body).toBeInstanceOf(UserCreatedEvent);
    expect(body.eventId).toBe(event.eventId);
    expect(body.payload).toEqual(event.payload);
  });

  test('Protobuf with the schema registry: same key, headers and Confluent-framed bytes', async () => {
    const { event, row, received } = await roundTrip(
      'protobuf',
      new ProtobufValueSerializer({ registry }),
      new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry }),
    );
    expect(row.payload[0]).toBe(0); // the Confluent magic byte
    expect(received).toHaveLength(1);
    expectSameRecord(row, received[0]!.msg);
    const body = received[0]!.body as UserCreatedEvent;
    expect(body).toBeInstanceOf(UserCreatedEvent);
    expect(body.eventId).toBe(event.eventId);
    expect(body.payload).toEqual(event.payload);
  });
});
