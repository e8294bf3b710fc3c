import { injectable } from 'tsyringe';
import {
  EventRaisingHandler,
  JsonValueDeserializer,
  Request,
  StandardHeaders,
  bootstrap,
  bootstrapEvents,
  silentLogger,
  type EventHandler,
} from '@cqrs/core';
import { AMQPConsumer, AMQPMessageBroker, AMQPPublisherAdapter, type AMQPConsumedMessage } from '@cqrs/rabbitmq';
import { unique, waitFor } from '@cqrs/test-fixtures';
import { UserCreatedEvent, userCreated } from './events';
import { AMQP_URL, deleteTopology, queuesOf } from './helpers';

class CreateUser extends Request<string> {
  constructor(readonly userId: string, readonly topic: string) {
    super();
  }
}

@injectable()
class CreateUserHandler extends EventRaisingHandler<CreateUser> {
  handle(request: CreateUser): string {
    this.raise(userCreated(request.topic, request.userId));
    return request.userId;
  }
}

const received: { event: UserCreatedEvent; msg: AMQPConsumedMessage }[] = [];
const handled: UserCreatedEvent[] = [];

class UserCreatedHandler implements EventHandler<UserCreatedEvent> {
  handle(event: UserCreatedEvent): void {
    handled.push(event);
  }
}

test('a command raises UserCreatedEvent, RabbitMQ carries it as JSON, and the EventMediator handler receives an equal event', async () => {
  const exchangeName = unique('e2e-json');
  const queue = unique('e2e-json-q');
  const topic = 'user_events';
  const publisher = new AMQPPublisherAdapter({ url: AMQP_URL, logger: silentLogger });
  const broker = new AMQPMessageBroker({ publisher, exchangeName });
  const mediator = bootstrap({ commandsMapper: (map) => map.bind(CreateUser, CreateUserHandler), messageBroker: broker, logger: silentLogger });
  const events = bootstrapEvents({ eventsMapper: (map) => map.bind(UserCreatedEvent, UserCreatedHandler), logger: silentLogger });
  const consumer = new AMQPConsumer({ url: AMQP_URL, exchangeName, logger: silentLogger }).subscribe(
    { topics: [topic], queue, valueDeserializer: new JsonValueDeserializer<UserCreatedEvent>({ model: UserCreatedEvent }) },
    async (body, msg) => {
      if (!(body instanceof UserCreatedEvent)) return msg.nack();
      received.push({ event: body, msg });
      await events.send(body);
      await msg.ack();
    },
  );
  try {
    await consumer.start();
    await expect(mediator.send(new CreateUser('u-1', topic))).resolves.toBe('u-1');
    await waitFor(() => handled.length === 1, 'the event to be handled');

    const [{ event, msg }] = received as [{ event: UserCreatedEvent; msg: AMQPConsumedMessage }];
    expect(handled[0]).toBe(event);
    expect(event).toBeInstanceOf(UserCreatedEvent);
    expect(event.payload).toEqual({ userId: 'u-1', email: 'u-1@example.com', name: 'User u-1' });
    expect(event.eventName).toBe('user_created');
    expect(event.topic).toBe(topic);
    expect(msg.topic).toBe(topic);
    expect(msg.exchange).toBe(exchangeName);
    expect(msg.queue).toBe(queue);
    expect(msg.attempt).toBe(1);
    expect(msg.redelivered).toBe(false);
    expect(msg.messageId).toBe(event.eventId);
    expect(msg.contentType).toBe('application/json');
    expect(msg.headers[StandardHeaders.messageName]).toBe('user_created');
    expect(msg.headers[StandardHeaders.messageId]).toBe(event.eventId);
  } finally {
    await consumer.stop();
    await broker.close();
    await deleteTopology(queuesOf(queue, 3), [exchangeName, `${exchangeName}.dlx`]);
  }
}, 60_000);
