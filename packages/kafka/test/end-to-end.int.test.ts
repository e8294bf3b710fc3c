import {
  EventRaisingHandler,
  JsonValueDeserializer,
  Request,
  StandardHeaders,
  bootstrap,
  bootstrapEvents,
  isDeserializeError,
  jsonValueSerializer,
  silentLogger,
  type EventHandler,
  type EventMediator,
  type ValueSerializer,
  type ValueDeserializer,
} from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { KafkaConsumer, KafkaMessageBroker, KafkaProducerAdapter, type KafkaConsumedMessage } from '@cqrs/kafka';
import { ProtobufHeaders, ProtobufValueDeserializer, ProtobufValueSerializer, readFrameHeader } from '@cqrs/protobuf';
import { injectable } from 'tsyringe';
import { UserCreatedEvent, unique, waitFor } from '@cqrs/test-fixtures';
import { kafkaEnv, plaintext } from './support/kafka-env';
import { committedOffsets, createTopic } from './support/raw-kafka';

// jest reads testTimeout only from the root config, not from a project's: set it here.
jest.setTimeout(60_000);

class CreateUser extends Request<string> {
  constructor(
    readonly topic: string,
    readonly userId: string,
    readonly email: string,
  ) {
    super();
  }
}

@injectable()
class CreateUserHandler extends EventRaisingHandler<CreateUser> {
  handle(command: CreateUser): string {
    this.raise(new UserCreatedEvent({ eventName: 'user_created', topic: command.topic, key: command.userId, payload: { userId: command.userId, email: command.email, name: 'John Doe' } }));
    return command.userId;
  }
}

const received: UserCreatedEvent[] = [];

class UserCreatedEventHandler implements EventHandler<UserCreatedEvent> {
  handle(event: UserCreatedEvent): void {
    received.push(event);
  }
}

function eventMediator(): EventMediator {
  return bootstrapEvents({ eventsMapper: (mapper) => mapper.bind(UserCreatedEvent, UserCreatedEventHandler), logger: silentLogger });
}

interface Round {
  readonly raised: UserCreatedEvent;
  readonly delivered: KafkaConsumedMessage;
}

/** Sends a command through the mediator, publishes through Kafka and consumes into an EventMediator. */
async function roundTrip(serializer: ValueSerializer, deserializer: ValueDeserializer<UserCreatedEvent>): Promise<Round> {
  const topic = unique('user_events_proto');
  const groupId = unique('protobuf-service');
  await createTopic(topic, 3);
  received.length = 0;

  const producer = new KafkaProducerAdapter({ ...plaintext(), clientId: 'my-app' });
  const mediator = bootstrap({ commandsMapper: (mapper) => mapper.bind(CreateUser, CreateUserHandler), messageBroker: new KafkaMessageBroker({ producer, valueSerializer: serializer }), logger: silentLogger });

  const events = eventMediator();
  const consumer = new KafkaConsumer({ ...plaintext(), groupId, fromBeginning: true, maxWaitTimeMs: 200 });
  const messages: KafkaConsumedMessage[] = [];
  consumer.subscribe({ topics: [topic], valueDeserializer: deserializer }, async (body, msg) => {
    messages.push(msg);
    if (isDeserializeError(body)) {
      await msg.nack();
      return;
    }
    if (body !== null) {
      await events.send(body);
      await msg.ack();
    }
  });
  await consumer.start();
  try {
    const userId = await mediator.send(new CreateUser(topic, 'user-123', 'user@example.com'));
    expect(userId).toBe('user-123');
    await waitFor(() => received.length === 1, 'the event handler to receive UserCreatedEvent');
    const delivered = messages[0]!;
    await waitFor(async () => (await committedOffsets(groupId, topic))[delivered.partition] === String(Number(delivered.offset) + 1), 'the offset commit');
    return { raised: received[0]!, delivered };
  } finally {
    await consumer.stop();
    await producer.close();
  }
}

function expectSameEvent(got: UserCreatedEvent, topic: string): void {
  expect(got).toBeInstanceOf(UserCreatedEvent);
  expect(got.eventName).toBe('user_created');
  expect(got.topic).toBe(topic);
  expect(got.payload).toEqual({ userId: 'user-123', email: 'user@example.com', name: 'John Doe' });
}

describe('Kafka end to end: command → RequestMediator → Kafka → KafkaConsumer → EventMediator', () => {
  test('Confluent-framed Protobuf with the real schema registry', async () => {
    const registry = { url: kafkaEnv.registryUrl };
    const { raised, delivered } = await roundTrip(new ProtobufValueSerializer({ registry }), new ProtobufValueDeserializer({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry }));
    expectSameEvent(raised, delivered.topic);
    expect(delivered.key).toBe('user-123');
    expect(delivered.headers[StandardHeaders.messageName]).toBe('user_created');
    expect(delivered.headers[StandardHeaders.messageId]).toBe(raised.eventId);
    expect(delivered.headers[ProtobufHeaders.contentType]).toBe('application/x-protobuf');
    const frame = readFrameHeader(delivered.value!);
    expect(frame).toMatchObject({ messageIndexes: [0] });
    expect(delivered.value![0]).toBe(0);
    expect(delivered.attempt).toBe(1);
  });

  test('JSON with the default serializer', async () => {
    const producerSerializer = jsonValueSerializer;
    const { raised, delivered } = await roundTrip(producerSerializer, new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }));
    expectSameEvent(raised, delivered.topic);
    expect(delivered.headers[StandardHeaders.contentType]).toBe('application/json');
    expect(JSON.parse(Buffer.from(delivered.value!).toString('utf8'))).toMatchObject({ event_id: raised.eventId, event_name: 'user_created' });
  });
});
