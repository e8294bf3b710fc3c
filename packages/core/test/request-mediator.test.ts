import {
  DomainEvent,
  DuplicateHandlerError,
  EventRaisingHandler,
  HandlerNotFoundError,
  NotificationEvent,
  Request,
  RequestMap,
  bootstrap,
  isCqrsError,
  silentLogger,
  type EventHandler,
  type Message,
  type MessageBroker,
  type RequestHandler,
  type ResultOf,
} from '@cqrs/core';

class CreateUser extends Request<{ id: string; created: boolean }> {
  constructor(readonly email: string) {
    super();
  }
}
class GetUserCount extends Request<number> {}
class Unbound extends Request {}

class UserCreated extends DomainEvent {
  constructor(readonly email: string) {
    super();
  }
}
class UserCreatedNotification extends NotificationEvent<{ email: string }> {}

/** Records what the mediator publishes. */
class RecordingBroker implements MessageBroker {
  readonly sent: Message[] = [];
  async sendMessage(message: Message): Promise<void> {
    this.sent.push(message);
  }
}

describe('RequestMediator.send', () => {
  test('returns the handler result, typed by the request', async () => {
    class CreateUserHandler implements RequestHandler<CreateUser> {
      handle(request: CreateUser): { id: string; created: boolean } {
        return { id: `id-of-${request.email}`, created: true };
      }
    }
    class GetUserCountHandler implements RequestHandler<GetUserCount> {
      async handle(): Promise<number> {
        return 7;
      }
    }
    const mediator = bootstrap({
      commandsMapper: (m) => m.bind(CreateUser, CreateUserHandler),
      queriesMapper: (m) => m.bind(GetUserCount, GetUserCountHandler),
      logger: silentLogger,
    });
    // The annotations check the inferred types: a wrong result type would not compile.
    const created: { id: string; created: boolean } = await mediator.send(new CreateUser('a@b.c'));
    const count: number = await mediator.send(new GetUserCount());
    expect(created).toEqual({ id: 'id-of-a@b.c', created: true });
    expect(count).toBe(7);
  });

  test('a result type that includes undefined keeps it', async () => {
    class FindUser extends Request<string | undefined> {}
    class FindUserHandler implements RequestHandler<FindUser> {
      handle(): string | undefined {
        return undefined;
      }
    }
    type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
    const keepsUndefined: Equals<ResultOf<FindUser>, string | undefined> = true;
    const mediator = bootstrap({ queriesMapper: (m) => m.bind(FindUser, FindUserHandler), logger: silentLogger });
    const found = await mediator.send(new FindUser());
    const sameType: Equals<typeof found, string | undefined> = true;
    expect([keepsUndefined, sameType, found]).toEqual([true, true, undefined]);
  });

  test('an unbound request rejects with HandlerNotFoundError naming its class', async () => {
    const mediator = bootstrap({ logger: silentLogger });
    const sent = mediator.send(new Unbound());
    await expect(sent).rejects.toBeInstanceOf(HandlerNotFoundError);
    await expect(sent).rejects.toMatchObject({ code: 'HANDLER_NOT_FOUND', name: 'HandlerNotFoundError', requestName: 'Unbound' });
    await expect(sent).rejects.toThrow(/Unbound/);
  });

  test('the handler error reaches the caller as it is', async () => {
    const boom = new Error('boom');
    class FailingHandler implements RequestHandler<GetUserCount> {
      handle(): number {
        throw boom;
      }
    }
    const mediator = bootstrap({ queriesMapper: (m) => m.bind(GetUserCount, FailingHandler), logger: silentLogger });
    await expect(mediator.send(new GetUserCount())).rejects.toBe(boom);
  });

  test('a fresh handler serves each send', async () => {
    const instances = new Set<object>();
    class CountingHandler implements RequestHandler<GetUserCount> {
      handle(): number {
        instances.add(this);
        return instances.size;
      }
    }
    const mediator = bootstrap({ queriesMapper: (m) => m.bind(GetUserCount, CountingHandler), logger: silentLogger });
    expect(await mediator.send(new GetUserCount())).toBe(1);
    expect(await mediator.send(new GetUserCount())).toBe(2);
  });
});

describe('binding', () => {
  class A implements RequestHandler<GetUserCount> {
    handle(): number {
      return 1;
    }
  }
  class B implements RequestHandler<GetUserCount> {
    handle(): number {
      return 2;
    }
  }

  test('binding a request twice in one map is refused', () => {
    const map = new RequestMap().bind(GetUserCount, A);
    let caught: unknown;
    try {
      map.bind(GetUserCount, B);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DuplicateHandlerError);
    expect(isCqrsError(caught)).toBe(true);
    expect((caught as DuplicateHandlerError).code).toBe('DUPLICATE_HANDLER');
    expect((caught as Error).message).toMatch(/GetUserCount is already bound to A; refusing to bind it to B/);
    expect(map.get(GetUserCount)).toBe(A);
  });

  test('binding a request in both the commands and the queries map is refused', () => {
    expect(() =>
      bootstrap({ commandsMapper: (m) => m.bind(GetUserCount, A), queriesMapper: (m) => m.bind(GetUserCount, B), logger: silentLogger }),
    ).toThrow(DuplicateHandlerError);
  });

  test('two classes with the same name are distinct keys', async () => {
    const makeRequest = () =>
      class Same extends Request<string> {
        constructor(readonly tag: string) {
          super();
        }
      };
    const First = makeRequest();
    const Second = makeRequest();
    class FirstHandler implements RequestHandler<InstanceType<typeof First>> {
      handle(r: InstanceType<typeof First>): string {
        return `first ${r.tag}`;
      }
    }
    class SecondHandler implements RequestHandler<InstanceType<typeof Second>> {
      handle(r: InstanceType<typeof Second>): string {
        return `second ${r.tag}`;
      }
    }
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(First, FirstHandler).bind(Second, SecondHandler), logger: silentLogger });
    expect(await mediator.send(new First('x'))).toBe('first x');
    expect(await mediator.send(new Second('y'))).toBe('second y');
  });
});

describe('events raised by a request handler', () => {
  test('domain events run in-process after the handler succeeded; notification events go to the broker', async () => {
    const log: string[] = [];
    class CreateUserHandler extends EventRaisingHandler<CreateUser> {
      handle(request: CreateUser): { id: string; created: boolean } {
        this.raise(new UserCreated(request.email));
        this.raise(new UserCreatedNotification({ eventName: 'user_created', topic: 'users', payload: { email: request.email } }));
        log.push('handler done');
        return { id: '1', created: true };
      }
    }
    class UserCreatedHandler implements EventHandler<UserCreated> {
      handle(event: UserCreated): void {
        log.push(`domain ${event.email}`);
      }
    }
    const broker = new RecordingBroker();
    const mediator = bootstrap({
      commandsMapper: (m) => m.bind(CreateUser, CreateUserHandler),
      domainEventsMapper: (m) => m.bind(UserCreated, UserCreatedHandler),
      messageBroker: broker,
      logger: silentLogger,
    });
    await mediator.send(new CreateUser('a@b.c'));
    expect(log).toEqual(['handler done', 'domain a@b.c']);
    expect(broker.sent).toHaveLength(1);
    expect(broker.sent[0]).toMatchObject({ messageName: 'user_created', topic: 'users' });
    expect(broker.sent[0]?.payload).toBeInstanceOf(UserCreatedNotification);
  });

  test('nothing is emitted when the handler throws', async () => {
    const handled: string[] = [];
    class FailingHandler extends EventRaisingHandler<CreateUser> {
      handle(request: CreateUser): never {
        this.raise(new UserCreated(request.email));
        this.raise(new UserCreatedNotification({ eventName: 'user_created', topic: 'users', payload: { email: request.email } }));
        throw new Error('storage down');
      }
    }
    class UserCreatedHandler implements EventHandler<UserCreated> {
      handle(event: UserCreated): void {
        handled.push(event.email);
      }
    }
    const broker = new RecordingBroker();
    const mediator = bootstrap({
      commandsMapper: (m) => m.bind(CreateUser, FailingHandler),
      domainEventsMapper: (m) => m.bind(UserCreated, UserCreatedHandler),
      messageBroker: broker,
      logger: silentLogger,
    });
    await expect(mediator.send(new CreateUser('a@b.c'))).rejects.toThrow('storage down');
    expect(handled).toEqual([]);
    expect(broker.sent).toEqual([]);
  });

  test('a handler that only implements the interface may expose events as a plain field', async () => {
    const handled: string[] = [];
    class PlainHandler implements RequestHandler<GetUserCount> {
      events: UserCreated[] = [];
      handle(): number {
        this.events.push(new UserCreated('plain'));
        return 0;
      }
    }
    class UserCreatedHandler implements EventHandler<UserCreated> {
      handle(event: UserCreated): void {
        handled.push(event.email);
      }
    }
    const mediator = bootstrap({
      queriesMapper: (m) => m.bind(GetUserCount, PlainHandler),
      domainEventsMapper: (m) => m.bind(UserCreated, UserCreatedHandler),
      logger: silentLogger,
    });
    await mediator.send(new GetUserCount());
    expect(handled).toEqual(['plain']);
  });
});
