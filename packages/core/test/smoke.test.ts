import { injectable } from 'tsyringe';
import { z } from 'zod';
import {
  DomainEvent,
  EventRaisingHandler,
  InMemoryConsumer,
  InMemoryMessageBroker,
  JsonValueDeserializer,
  NotificationEvent,
  Request,
  bootstrap,
  bootstrapEvents,
  silentLogger,
  type EventHandler,
} from '@cqrs/core';

const Payload = z.object({ userId: z.string() });
class UserJoined extends NotificationEvent<z.infer<typeof Payload>> {
  static override readonly payloadSchema = Payload;
}
class Joined extends DomainEvent {
  constructor(readonly userId: string) {
    super();
  }
}
class Join extends Request<string> {
  constructor(readonly userId: string) {
    super();
  }
}
@injectable()
class JoinHandler extends EventRaisingHandler<Join> {
  handle(request: Join): string {
    this.raise(new Joined(request.userId), new UserJoined({ eventName: 'user_joined', topic: 'users', payload: { userId: request.userId } }));
    return `joined ${request.userId}`;
  }
}
const seen: string[] = [];
class JoinedHandler implements EventHandler<Joined> {
  handle(event: Joined): void {
    seen.push(`domain:${event.userId}`);
  }
}
class UserJoinedHandler implements EventHandler<UserJoined> {
  handle(event: UserJoined): void {
    seen.push(`remote:${event.payload.userId}@${event.topic}`);
  }
}

test('a command raises a domain event and a notification event that a consumer receives', async () => {
  const broker = new InMemoryMessageBroker();
  const mediator = bootstrap({
    commandsMapper: (m) => m.bind(Join, JoinHandler),
    domainEventsMapper: (m) => m.bind(Joined, JoinedHandler),
    messageBroker: broker,
    logger: silentLogger,
  });
  const events = bootstrapEvents({ eventsMapper: (m) => m.bind(UserJoined, UserJoinedHandler), logger: silentLogger });
  const consumer = new InMemoryConsumer({ broker, logger: silentLogger }).subscribe(
    { topics: ['users'], valueDeserializer: new JsonValueDeserializer({ model: UserJoined }) },
    async (body, msg) => {
      if (body instanceof UserJoined) await events.send(body);
      else await msg.nack();
    },
  );
  await consumer.start();
  const result: string = await mediator.send(new Join('42'));
  await consumer.idle();
  expect(result).toBe('joined 42');
  expect(seen).toEqual(['domain:42', 'remote:42@users']);
});
