// RabbitMQ twin of the reference's "Complete Producer Example" and "Event Producing with
// Protobuf": a command through bootstrap()'s mediator raises UserCreatedProtoEvent, and the event is
// also published directly; both go to RabbitMQ as Protobuf. Only the broker differs from Kafka.
//
//   AMQP_URL=amqp://guest:guest@127.0.0.1:5672 node dist/rabbitmq/protobuf-producer.js
//
// Without AMQP_URL it publishes to core's in-memory broker.
import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { EventRaisingHandler, Request, bootstrap, messageFromEvent, type MessageBroker } from '@cqrs/core';
import { ProtobufValueSerializer } from '@cqrs/protobuf';
import { AMQPMessageBroker, AMQPPublisherAdapter } from '@cqrs/rabbitmq';
import { UserCreatedProtoEvent } from '../protobuf/events';
import { inMemoryBroker, resolveOptions, type ExampleOptions } from './transport';

/** A command that creates a user and raises `UserCreatedProtoEvent`. */
class CreateUserCommand extends Request<void> {
  constructor(readonly userId: string, readonly email: string, readonly name: string, readonly topic: string) {
    super();
  }
}

@injectable()
class CreateUserCommandHandler extends EventRaisingHandler<CreateUserCommand> {
  handle(command: CreateUserCommand): void {
    this.raise(new UserCreatedProtoEvent({ eventName: 'user_created', topic: command.topic, payload: { userId: command.userId, email: command.email, name: command.name } }));
  }
}

/** Sends one command and publishes one event directly; returns the ids of the users created. */
export async function main(options: ExampleOptions = {}): Promise<string[]> {
  const resolved = resolveOptions(options);
  // One serializer per process: it asks the registry once per schema, never once per message.
  const serializer = new ProtobufValueSerializer({ registry: resolved.registry });
  let broker: MessageBroker;
  if (resolved.url === undefined) {
    broker = inMemoryBroker(serializer);
  } else {
    const publisher = new AMQPPublisherAdapter({ url: resolved.url, connectionName: 'protobuf-producer' });
    broker = new AMQPMessageBroker({ publisher, exchangeName: resolved.exchangeName, valueSerializer: serializer });
  }

  const mediator = bootstrap({ commandsMapper: (map) => map.bind(CreateUserCommand, CreateUserCommandHandler), messageBroker: broker });
  try {
    await mediator.send(new CreateUserCommand('123', 'user@example.com', 'John Doe', resolved.topic));

    // Direct event publishing [broker.send_message(message=Message(...))].
    const event = new UserCreatedProtoEvent({ eventName: 'user_created', topic: resolved.topic, payload: { userId: '456', email: 'jane@example.com', name: 'Jane Doe' } });
    await broker.sendMessage(messageFromEvent(event));
  } finally {
    await broker.close?.();
  }
  console.log(`published 2 UserCreatedProtoEvent(s) to ${resolved.url === undefined ? 'the in-memory broker' : `exchange ${resolved.exchangeName}`}`);
  return ['123', '456'];
}

if (require.main === module) void main();
