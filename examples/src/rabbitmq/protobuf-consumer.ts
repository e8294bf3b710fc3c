// RabbitMQ twin of the reference's "Complete Consumer Example": a subscriber with a Protobuf
// value deserializer and a custom decoder, handing good events to an EventMediator and nacking
// bad bytes (they go to the dead-letter queue). Only the consumer differs from Kafka.
//
//   AMQP_URL=amqp://guest:guest@127.0.0.1:5672 node dist/rabbitmq/protobuf-consumer.js
//
// It runs until SIGTERM or Ctrl-C, then finishes the messages in flight. Without AMQP_URL it
// reads core's in-memory broker (publishing a sample event first when there is none) and exits.
import 'reflect-metadata';
import { InMemoryConsumer, SKIP_MESSAGE, bootstrapEvents, type ConsumedMessage, type Decoded, type EventMediator } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { DeserializeProtobufError, ProtobufValueDeserializer } from '@cqrs/protobuf';
import { AMQPConsumer } from '@cqrs/rabbitmq';
import { UserCreatedProtoEvent } from '../protobuf/events';
import type { UserCreatedEvent } from '../shared/user-created';
import { UserCreatedEventHandler } from '../shared/users';
import { main as produce } from './protobuf-producer';
import { inMemoryBroker, resolveOptions, type ExampleOptions } from './transport';

/** Options of the consumer example: stop after a number of events instead of at SIGTERM. */
export interface ConsumerExampleOptions extends ExampleOptions {
  readonly stopAfter?: number;
}

// One mediator per process [functools.lru_cache(maxsize=1)].
let mediator: EventMediator | undefined;
function mediatorFactory(): EventMediator {
  mediator ??= bootstrapEvents({ eventsMapper: (map) => map.bind(UserCreatedProtoEvent, UserCreatedEventHandler) });
  return mediator;
}

/** Skips empty and too-short messages before decoding [protobuf_message_decoder]; fits any transport's messages. */
function protobufMessageDecoder<M extends ConsumedMessage>(msg: M, decode: (msg: M) => Promise<Decoded<UserCreatedProtoEvent>>): Promise<Decoded<UserCreatedProtoEvent>> | typeof SKIP_MESSAGE {
  if (msg.value === null || msg.value.byteLength < 10) return SKIP_MESSAGE;
  return decode(msg);
}

/** The subscriber [handle_user_event]. */
async function handleUserEvent(body: Decoded<UserCreatedProtoEvent>, msg: ConsumedMessage): Promise<void> {
  if (body instanceof DeserializeProtobufError) {
    console.log(`Deserialization error: ${body.errorMessage}`);
    await msg.nack();
    return;
  }
  if (body !== null) {
    await mediatorFactory().send(body);
    await msg.ack();
  }
}

/** Consumes UserCreatedEvents; resolves with the events handled once stopped. */
export async function main(options: ConsumerExampleOptions = {}): Promise<UserCreatedEvent[]> {
  const resolved = resolveOptions(options);
  const valueDeserializer = new ProtobufValueDeserializer<typeof UserCreatedSchema, UserCreatedProtoEvent>({
    model: UserCreatedProtoEvent,
    protobufModel: UserCreatedSchema,
    registry: resolved.registry,
  });
  const subscription = { topics: [resolved.topic], valueDeserializer, decoder: protobufMessageDecoder };
  const first = UserCreatedEventHandler.seen.length;
  const handled = (): UserCreatedEvent[] => UserCreatedEventHandler.seen.slice(first);

  if (resolved.url === undefined) {
    const broker = inMemoryBroker();
    if (broker.records(resolved.topic).length === 0) await produce(options);
    const consumer = new InMemoryConsumer({ broker }).subscribe(subscription, handleUserEvent);
    await consumer.start();
    // Everything published so far is handled, then the example ends.
    await consumer.idle();
    await consumer.stop();
    return handled();
  }

  const consumer = new AMQPConsumer({ url: resolved.url, exchangeName: resolved.exchangeName, prefetch: 16, handleSignals: true, connectionName: 'protobuf-consumer' }).subscribe(
    { ...subscription, queue: resolved.queue },
    handleUserEvent,
  );
  await consumer.start();
  console.log(`consuming ${resolved.topic} from queue ${resolved.queue}; Ctrl-C to stop`);
  if (options.stopAfter !== undefined) {
    const enough = options.stopAfter;
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (handled().length >= enough) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    await consumer.stop();
  } else {
    await new Promise<void>((resolve) => process.once('beforeExit', () => resolve()));
  }
  return handled();
}

if (require.main === module) void main();
