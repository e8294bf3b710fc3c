// Twin of the reference's "Custom Decoder for Protobuf": a decoder that skips empty and
// too-short messages before the Protobuf deserializer sees them. Skipped messages are acked.
//
//   KAFKA_BROKERS=127.0.0.1:9092 KAFKA_SCHEMA_REGISTRY_URL=http://127.0.0.1:8085/apis/ccompat/v7 node dist/kafka/custom-decoder.js
import 'reflect-metadata';
import { SKIP_MESSAGE, bootstrapEvents, type ConsumedMessage, type Decoded, type EventMediator } from '@cqrs/core';
import { UserCreatedSchema } from '@cqrs/example-protos';
import { DeserializeProtobufError, ProtobufValueDeserializer } from '@cqrs/protobuf';
import { UserCreatedProtoEvent } from '../protobuf/events';
import type { UserCreatedEvent } from '../shared/user-created';
import { UserCreatedEventHandler } from '../shared/users';
import { main as produce } from './protobuf-producer';
import { inMemoryBroker, registryOf, settingsOf, type KafkaExampleOptions } from './settings';
import { serve } from './subscriber';

let mediator: EventMediator | undefined;
function mediatorFactory(): EventMediator {
  mediator ??= bootstrapEvents({ eventsMapper: (mapper) => mapper.bind(UserCreatedProtoEvent, UserCreatedEventHandler) });
  return mediator;
}

/** Messages the decoder skipped in this process. */
export const skipped: ConsumedMessage[] = [];

/** Skips empty messages and handles Protobuf decoding [protobuf_message_decoder]. */
export function protobufMessageDecoder<M extends ConsumedMessage>(
  msg: M,
  originalDecoder: (msg: M) => Promise<Decoded<UserCreatedProtoEvent>>,
): Promise<Decoded<UserCreatedProtoEvent>> | typeof SKIP_MESSAGE {
  if (msg.value === null || msg.value.byteLength === 0) {
    skipped.push(msg);
    return SKIP_MESSAGE;
  }
  // Additional validation can be added here: below 10 bytes it can't be a framed event.
  if (msg.value.byteLength < 10) {
    skipped.push(msg);
    return SKIP_MESSAGE;
  }
  return originalDecoder(msg);
}

/** [handle_user_event] */
async function handleUserEvent(body: Decoded<UserCreatedProtoEvent>, msg: ConsumedMessage): Promise<void> {
  if (body instanceof DeserializeProtobufError) {
    await msg.nack();
    return;
  }
  if (body !== null) {
    await mediatorFactory().send(body);
    await msg.ack();
  }
}

/** Consumes through the custom decoder; resolves with the events handled once stopped. */
export async function main(options: KafkaExampleOptions = {}): Promise<UserCreatedEvent[]> {
  const settings = settingsOf(options);
  if (settings.brokers === undefined && inMemoryBroker().records(settings.topic).length === 0) await produce(options);
  const first = UserCreatedEventHandler.seen.length;
  const registry = registryOf(settings);
  await serve(
    {
      groupId: 'protobuf-custom-decoder',
      subscription: {
        topics: [settings.topic],
        decoder: protobufMessageDecoder,
        valueDeserializer: new ProtobufValueDeserializer<typeof UserCreatedSchema, UserCreatedProtoEvent>({ model: UserCreatedProtoEvent, protobufModel: UserCreatedSchema, ...(registry === undefined ? {} : { registry }) }),
      },
      handler: handleUserEvent,
    },
    settings,
    () => UserCreatedEventHandler.seen.length - first,
  );
  return UserCreatedEventHandler.seen.slice(first);
}

if (require.main === module) void main();
