import { injectable } from 'tsyringe';
import { EventRaisingHandler, Request, bootstrap, bootstrapEvents, silentLogger, type EventHandler } from '@cqrs/core';
import { DeserializeProtobufError, PROTOBUF_CONTENT_TYPE, ProtobufHeaders, ProtobufValueDeserializer, ProtobufValueSerializer, readFrameHeader } from '@cqrs/protobuf';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { AMQPConsumer, AMQPMessageBroker, AMQPPublisherAdapter, type AMQPConsumedMessage } from '@cqrs/rabbitmq';
import { UserCreatedEvent, unique, waitFor } from '@cqrs/test-fixtures';
import { AMQP_URL, deleteTopology, queuesOf } from './helpers';

const REGISTRY_URL = process.env.KAFKA_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8085/apis/ccompat/v7';

class CreateUser extends Request<void> {
  constructor(readonly userId: string, readonly topic: string) {
    super();
  }
}

@injectable()
class CreateUserHandler extends EventRaisingHandler<CreateUser> {
  handle(request: CreateUser): void {
    this.raise(new UserCreatedEvent({ eventName: 'user_created', topic: request.topic, payload: { userId: request.userId, email: `${request.userId}@example.com`, name: 'John Doe' } }));
  }
}

const handled: UserCreatedEvent[] = [];
class UserCreatedHandler implements EventHandler<UserCreatedEvent> {
  handle(event: UserCreatedEvent): void {
    handled.push(event);
  }
}

describe.each([
  ['Confluent-framed with the schema registry', { url: REGISTRY_URL } as const],
  ['plain Protobuf without a registry', false as const],
])('a command raises UserCreatedEvent and RabbitMQ carries it as Protobuf, %s', (_, registry) => {
  test('the EventMediator handler receives an equal event', async () => {
    handled.length = 0;
    const exchangeName = unique('e2e-proto');
    const queue = unique('e2e-proto-q');
    const topic = unique('user_events_proto');
    const publisher = new AMQPPublisherAdapter({ url: AMQP_URL, logger: silentLogger });
    const broker = new AMQPMessageBroker({ publisher, exchangeName, valueSerializer: new ProtobufValueSerializer({ registry }) });
    const mediator = bootstrap({ commandsMapper: (map) => map.bind(CreateUser, CreateUserHandler), messageBroker: broker, logger: silentLogger });
    const events = bootstrapEvents({ eventsMapper: (map) => map.bind(UserCreatedEvent, UserCreatedHandler), logger: silentLogger });
    const messages: AMQPConsumedMessage[] = [];
    const valueDeserializer = new ProtobufValueDeserializer<typeof UserCreatedSchema, UserCreatedEvent>({ model: UserCreatedEvent, protobufModel: UserCreatedSchema, registry });
    const consumer = new AMQPConsumer({ url: AMQP_URL, exchangeName, logger: silentLogger }).subscribe(
      { topics: [topic], queue, valueDeserializer },
      async (body, msg) => {
        if (body instanceof DeserializeProtobufError || body === null) return msg.nack();
        messages.push(msg);
        await events.send(body);
      },
    );
    try {
      await consumer.start();
      await mediator.send(new CreateUser('123', topic));
      await waitFor(() => handled.length === 1, 'the event to be handled');
      const [event] = handled as [UserCreatedEvent];
      const [msg] = messages as [AMQPConsumedMessage];
      expect(event).toBeInstanceOf(UserCreatedEvent);
      expect(event.payload).toEqual({ userId: '123', email: '123@example.com', name: 'John Doe' });
      expect(event.topic).toBe(topic);
      expect(msg.messageId).toBe(event.eventId);
      expect(msg.contentType).toBe(PROTOBUF_CONTENT_TYPE);
      expect(msg.headers).toMatchObject({ message_name: 'user_created', message_id: event.eventId });
      expect(msg.headers[ProtobufHeaders.messageType]).toBe(UserCreatedSchema.typeName);
      const framed = readFrameHeader(msg.value!);
      // Plain bytes have no frame; framed ones carry the registry's schema id.
      if (registry === false) expect(framed).toHaveProperty('problem');
      else expect(framed).toMatchObject({ schemaId: expect.any(Number) as unknown, messageIndexes: [0] });
    } finally {
      await consumer.stop();
      await broker.close();
      await deleteTopology(queuesOf(queue, 3), [exchangeName, `${exchangeName}.dlx`]);
    }
  }, 60_000);
});
