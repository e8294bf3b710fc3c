// Direct event publishing [broker.send_message(broker_protocol.Message(...))]: build an event
// and publish it yourself, with no mediator, then consume it: an InMemoryConsumer decodes the
// JSON bytes into a validated UserCreatedEvent and hands it to an EventMediator.
import 'reflect-metadata';
import { InMemoryConsumer, InMemoryMessageBroker, JsonValueDeserializer, bootstrapEvents, isDeserializeError, messageFromEvent } from '@cqrs/core';
import { UserCreatedEvent } from './shared/user-created';
import { UserCreatedEventHandler } from './shared/users';

/** What the example did, for its test. */
export interface EventPublishingSummary {
  readonly publishedId: string;
  readonly consumedId: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

export async function main(): Promise<EventPublishingSummary> {
  const broker = new InMemoryMessageBroker();

  // The producer: create the event and publish it [produce_protobuf_event(), with JSON here].
  const event = new UserCreatedEvent({
    eventName: 'user_created',
    topic: 'user_events_direct',
    payload: { userId: '123', email: 'user@example.com', name: 'John Doe' },
  });
  await broker.sendMessage(messageFromEvent(event));
  const [record] = broker.records(event.topic);
  console.log(`published ${event.eventName} ${event.eventId} to ${event.topic} (${record?.value?.byteLength ?? 0} bytes)`);

  // The consumer: decode, validate, dispatch to the EventMediator, ack.
  const events = bootstrapEvents({ eventsMapper: (mapper) => mapper.bind(UserCreatedEvent, UserCreatedEventHandler) });
  let consumedId: string | undefined;
  const consumer = new InMemoryConsumer({ broker }).subscribe(
    { topics: [event.topic], valueDeserializer: new JsonValueDeserializer({ model: UserCreatedEvent }) },
    async (body, msg) => {
      if (isDeserializeError(body)) return msg.nack(body);
      if (body === null) return msg.ack();
      await events.send(body);
      consumedId = body.eventId;
      console.log(`consumed ${body.eventName} ${body.eventId}, same id as published: ${body.eventId === event.eventId}`);
      await msg.ack();
    },
  );
  await consumer.start();
  await consumer.idle();
  await consumer.stop();
  return { publishedId: event.eventId, consumedId, headers: record?.headers ?? {} };
}

if (require.main === module) void main();
