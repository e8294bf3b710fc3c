// Twin of the reference's "Kafka Producer with Protobuf Serialization": a KafkaProducerAdapter
// with the Protobuf serializer, a KafkaMessageBroker, and bootstrap() wiring a command whose
// handler raises UserCreatedProtoEvent, which the mediator publishes.
//
//   KAFKA_BROKERS=127.0.0.1:9092 KAFKA_SCHEMA_REGISTRY_URL=http://127.0.0.1:8085/apis/ccompat/v7 node dist/kafka/protobuf-producer.js
//
// Without KAFKA_BROKERS it publishes to core's in-memory broker.
import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { EventRaisingHandler, Request, bootstrap, type MessageBroker, type RequestMap } from '@cqrs/core';
import { KafkaMessageBroker, KafkaProducerAdapter } from '@cqrs/kafka';
import { UserCreatedProtoEvent } from '../protobuf/events';
import { inMemoryBroker, serializerOf, settingsOf, type KafkaExampleOptions } from './settings';

/** Creates a user; its handler raises `UserCreatedProtoEvent`. */
export class CreateUserCommand extends Request<string> {
  constructor(
    readonly userId: string,
    readonly email: string,
    readonly name: string,
    readonly topic: string,
  ) {
    super();
  }
}

/** Raises the notification event the mediator publishes to Kafka. */
@injectable()
export class CreateUserCommandHandler extends EventRaisingHandler<CreateUserCommand> {
  handle(command: CreateUserCommand): string {
    this.raise(
      new UserCreatedProtoEvent({ eventName: 'user_created', topic: command.topic, key: command.userId, payload: { userId: command.userId, email: command.email, name: command.name } }),
    );
    return command.userId;
  }
}

/** [commands_mapper] */
export function commandsMapper(mapper: RequestMap): void {
  mapper.bind(CreateUserCommand, CreateUserCommandHandler);
}

/** Sends one command; resolves with the id of the user created. */
export async function main(options: KafkaExampleOptions = {}): Promise<string> {
  const settings = settingsOf(options);
  let broker: MessageBroker;
  if (settings.brokers === undefined) {
    broker = inMemoryBroker();
  } else {
    // Create Kafka producer.
    const kafkaProducer = new KafkaProducerAdapter({
      bootstrapServers: settings.brokers,
      clientId: 'my-app',
      securityProtocol: 'PLAINTEXT', // Or 'SASL_SSL' for production
      saslMechanism: 'PLAIN',
      logLevel: 'error', // [aiokafka_log_level="ERROR"]
    });
    // Create message broker: it owns the Protobuf serializer, the adapter sends bytes.
    broker = new KafkaMessageBroker({ producer: kafkaProducer, valueSerializer: serializerOf(settings) });
  }

  // Bootstrap with the Protobuf-enabled broker.
  const mediator = bootstrap({ commandsMapper, messageBroker: broker });
  try {
    const userId = await mediator.send(new CreateUserCommand('123', 'user@example.com', 'John Doe', settings.topic));
    console.log(`user ${userId} created; UserCreatedProtoEvent published to ${settings.topic}`);
    return userId;
  } finally {
    await broker.close?.();
  }
}

if (require.main === module) void main();
