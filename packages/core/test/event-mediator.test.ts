import {
  ConfigurationError,
  DomainEvent,
  EventRaiser,
  NotificationEvent,
  bootstrapEvents,
  silentLogger,
  type EventHandler,
  type Message,
  type MessageBroker,
} from '@cqrs/core';
import { deferred, waitFor, type Deferred } from './support/async';
import { CapturingLogger } from './support/capturing-logger';

class UserCreated extends NotificationEvent<{ userId: string }> {}
class Unhandled extends NotificationEvent<{ n: number }> {}
class Welcomed extends DomainEvent {
  constructor(readonly userId: string) {
    super();
  }
}
class WelcomeSent extends NotificationEvent<{ userId: string }> {}

const userCreated = (userId = '1'): UserCreated => new UserCreated({ eventName: 'user_created', topic: 'users', payload: { userId } });

/**
 * Builds `count` handler classes that each wait for the test to release them, counting how
 * many run at the same moment.
 */
function gatedHandlers(count: number) {
  const probe = { inFlight: 0, maxInFlight: 0, started: [] as number[], finished: [] as number[], gates: [] as Deferred[] };
  for (let i = 0; i < count; i += 1) probe.gates.push(deferred());
  const handlers = probe.gates.map(
    (gate, index) =>
      class GatedHandler implements EventHandler<UserCreated> {
        async handle(): Promise<void> {
          probe.inFlight += 1;
          probe.maxInFlight = Math.max(probe.maxInFlight, probe.inFlight);
          probe.started.push(index);
          try {
            await gate.promise;
          } finally {
            probe.inFlight -= 1;
            probe.finished.push(index);
          }
        }
      },
  );
  return { probe, handlers };
}

describe('EventMediator', () => {
  test('runs every handler bound to the event', async () => {
    const seen: string[] = [];
    class A implements EventHandler<UserCreated> {
      handle(event: UserCreated): void {
        seen.push(`A ${event.payload.userId}`);
      }
    }
    class B implements EventHandler<UserCreated> {
      async handle(event: UserCreated): Promise<void> {
        seen.push(`B ${event.payload.userId}`);
      }
    }
    const mediator = bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreated, A).bind(UserCreated, B), logger: silentLogger });
    await mediator.send(userCreated('7'));
    expect(seen).toEqual(['A 7', 'B 7']);
  });

  test('handlers run one after another by default', async () => {
    const { probe, handlers } = gatedHandlers(3);
    const mediator = bootstrapEvents({ eventsMapper: (m) => handlers.forEach((h) => m.bind(UserCreated, h)), logger: silentLogger });
    const sent = mediator.send(userCreated());
    for (let i = 0; i < 3; i += 1) {
      await waitFor(() => probe.started.length === i + 1, `handler ${i} started`);
      expect(probe.inFlight).toBe(1);
      probe.gates[i]?.resolve();
    }
    await sent;
    expect(probe.started).toEqual([0, 1, 2]);
    expect(probe.maxInFlight).toBe(1);
  });

  test('with concurrency 2, at most two handlers run at once and all of them run', async () => {
    const { probe, handlers } = gatedHandlers(5);
    const mediator = bootstrapEvents({ eventsMapper: (m) => handlers.forEach((h) => m.bind(UserCreated, h)), concurrency: 2, logger: silentLogger });
    const sent = mediator.send(userCreated());
    await waitFor(() => probe.inFlight === 2, 'two handlers in flight');
    expect(probe.started).toEqual([0, 1]);
    // Release out of order: the freed slot goes to the next handler.
    probe.gates[1]?.resolve();
    await waitFor(() => probe.started.length === 3, 'third handler started');
    expect(probe.inFlight).toBe(2);
    for (const gate of probe.gates) gate.resolve();
    await sent;
    expect(probe.started).toHaveLength(5);
    expect(probe.finished).toHaveLength(5);
    expect(probe.maxInFlight).toBe(2);
  });

  test('with Infinity, every handler starts at once', async () => {
    const { probe, handlers } = gatedHandlers(4);
    const mediator = bootstrapEvents({ eventsMapper: (m) => handlers.forEach((h) => m.bind(UserCreated, h)), concurrency: Infinity, logger: silentLogger });
    const sent = mediator.send(userCreated());
    await waitFor(() => probe.inFlight === 4, 'four handlers in flight');
    for (const gate of probe.gates) gate.resolve();
    await sent;
    expect(probe.maxInFlight).toBe(4);
  });

  test.each([0, -1, 1.5, Number.NaN])('concurrency %p is refused', (concurrency) => {
    expect(() => bootstrapEvents({ concurrency, logger: silentLogger })).toThrow(ConfigurationError);
  });

  test.each([1, 3])('one failing handler does not stop the others (concurrency %p); the caller gets the error', async (concurrency) => {
    const ran: string[] = [];
    const boom = new Error('boom');
    class Ok1 implements EventHandler<UserCreated> {
      handle(): void {
        ran.push('ok1');
      }
    }
    class Fails implements EventHandler<UserCreated> {
      handle(): void {
        ran.push('fails');
        throw boom;
      }
    }
    class Ok2 implements EventHandler<UserCreated> {
      async handle(): Promise<void> {
        ran.push('ok2');
      }
    }
    const mediator = bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreated, Ok1).bind(UserCreated, Fails).bind(UserCreated, Ok2), concurrency, logger: silentLogger });
    await expect(mediator.send(userCreated())).rejects.toBe(boom);
    expect(ran.sort()).toEqual(['fails', 'ok1', 'ok2']);
  });

  test('several failures come back together as an AggregateError', async () => {
    const first = new Error('first');
    const second = new Error('second');
    const ran: string[] = [];
    class F1 implements EventHandler<UserCreated> {
      handle(): void {
        throw first;
      }
    }
    class Ok implements EventHandler<UserCreated> {
      handle(): void {
        ran.push('ok');
      }
    }
    class F2 implements EventHandler<UserCreated> {
      async handle(): Promise<void> {
        throw second;
      }
    }
    const mediator = bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreated, F1).bind(UserCreated, Ok).bind(UserCreated, F2), logger: silentLogger });
    const caught: unknown = await mediator.send(userCreated()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(caught).toBeInstanceOf(AggregateError);
    expect((caught as AggregateError).errors).toEqual([first, second]);
    expect((caught as AggregateError).message).toBe('2 of 3 event handlers failed');
    expect(ran).toEqual(['ok']);
  });

  test('a lone handler that throws, or a middleware that throws before any await, rejects the send', async () => {
    const broken = new Error('handler bug');
    class Throws implements EventHandler<UserCreated> {
      handle(): void {
        throw broken;
      }
    }
    const mediator = bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreated, Throws), logger: silentLogger });
    const sending = mediator.send(userCreated());
    expect(sending).toBeInstanceOf(Promise);
    await expect(sending).rejects.toBe(broken);

    const refused = new Error('middleware refused');
    const withMiddleware = bootstrapEvents({
      eventsMapper: (m) => m.bind(UserCreated, Throws),
      middlewares: [
        () => {
          throw refused;
        },
      ],
      logger: silentLogger,
    });
    const refusing = withMiddleware.send(userCreated());
    expect(refusing).toBeInstanceOf(Promise);
    await expect(refusing).rejects.toBe(refused);
  });

  test("a lone handler's raised events are emitted once and its own list is left as it was", async () => {
    const sent: Message[] = [];
    const broker: MessageBroker = { sendMessage: async (message) => void sent.push(message) };
    const handlers: OnUserCreated[] = [];
    class OnUserCreated extends EventRaiser implements EventHandler<UserCreated> {
      handle(event: UserCreated): void {
        handlers.push(this);
        this.raise(new WelcomeSent({ eventName: 'welcome_sent', topic: 'mail', payload: { userId: event.payload.userId } }));
      }
    }
    const mediator = bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreated, OnUserCreated), messageBroker: broker, logger: silentLogger });
    await mediator.send(userCreated('7'));
    expect(sent.map((message) => message.messageName)).toEqual(['welcome_sent']);
    expect(handlers[0]?.events).toHaveLength(1);
  });

  test('an event with no handler is ignored and logged once', async () => {
    const logger = new CapturingLogger();
    const mediator = bootstrapEvents({ logger });
    const event = new Unhandled({ eventName: 'unhandled', topic: 't', payload: { n: 1 } });
    await expect(mediator.send(event)).resolves.toBeUndefined();
    await mediator.send(event);
    expect(logger.at('warn')).toEqual([{ level: 'warn', message: 'no handler is bound for event Unhandled; it is ignored', fields: { event: 'Unhandled' } }]);
  });

  test('events raised by event handlers are emitted: domain events in-process, notification events to the broker', async () => {
    const log: string[] = [];
    const sent: Message[] = [];
    const broker: MessageBroker = {
      sendMessage: async (message) => {
        sent.push(message);
      },
    };
    class OnUserCreated extends EventRaiser implements EventHandler<UserCreated> {
      handle(event: UserCreated): void {
        this.raise(new Welcomed(event.payload.userId), new WelcomeSent({ eventName: 'welcome_sent', topic: 'mail', payload: { userId: event.payload.userId } }));
      }
    }
    class OnWelcomed implements EventHandler<Welcomed> {
      handle(event: Welcomed): void {
        log.push(`welcomed ${event.userId}`);
      }
    }
    const mediator = bootstrapEvents({
      eventsMapper: (m) => m.bind(UserCreated, OnUserCreated).bind(Welcomed, OnWelcomed),
      messageBroker: broker,
      logger: silentLogger,
    });
    await mediator.send(userCreated('9'));
    expect(log).toEqual(['welcomed 9']);
    expect(sent.map((m) => [m.messageName, m.topic])).toEqual([['welcome_sent', 'mail']]);
  });

  describe('dispatch', () => {
    test('a lone synchronous handler that raises nothing runs without a promise; what it throws is thrown', () => {
      const seen: string[] = [];
      const broken = new Error('handler bug');
      class Records implements EventHandler<UserCreated> {
        handle(event: UserCreated): void {
          if (event.payload.userId === 'bad') throw broken;
          seen.push(event.payload.userId);
        }
      }
      const mediator = bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreated, Records), logger: silentLogger });
      expect(mediator.dispatch(userCreated('1'))).toBeUndefined();
      expect(seen).toEqual(['1']);
      expect(() => mediator.dispatch(userCreated('bad'))).toThrow(broken);
    });

    test('an asynchronous handler, raised events, several handlers or middlewares give a promise', async () => {
      const seen: string[] = [];
      const sent: Message[] = [];
      class Later implements EventHandler<UserCreated> {
        async handle(event: UserCreated): Promise<void> {
          await Promise.resolve();
          seen.push(`later ${event.payload.userId}`);
        }
      }
      class Raises extends EventRaiser implements EventHandler<UserCreated> {
        handle(event: UserCreated): void {
          this.raise(new WelcomeSent({ eventName: 'welcome_sent', topic: 'mail', payload: { userId: event.payload.userId } }));
        }
      }
      class Records implements EventHandler<UserCreated> {
        handle(event: UserCreated): void {
          seen.push(`now ${event.payload.userId}`);
        }
      }
      class AlsoRecords extends Records {}
      const broker: MessageBroker = { sendMessage: async (message) => void sent.push(message) };
      const cases = [
        bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreated, Later), logger: silentLogger }),
        bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreated, Raises), messageBroker: broker, logger: silentLogger }),
        bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreated, Records).bind(UserCreated, AlsoRecords), logger: silentLogger }),
        bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreated, Records), middlewares: [async (message, next) => next(message)], logger: silentLogger }),
      ];
      for (const [index, mediator] of cases.entries()) {
        const result = mediator.dispatch(userCreated(String(index)));
        expect(result).toBeInstanceOf(Promise);
        await result;
      }
      expect(seen).toEqual(['later 0', 'now 2', 'now 2', 'now 3']);
      expect(sent.map((message) => message.messageName)).toEqual(['welcome_sent']);
    });

    test('send still answers with a promise, rejected when the handler threw synchronously', async () => {
      const broken = new Error('handler bug');
      class Throws implements EventHandler<UserCreated> {
        handle(): void {
          throw broken;
        }
      }
      class Quiet implements EventHandler<UserCreated> {
        handle(): void {}
      }
      const throwing = bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreated, Throws), logger: silentLogger });
      const quiet = bootstrapEvents({ eventsMapper: (m) => m.bind(UserCreated, Quiet), logger: silentLogger });
      await expect(throwing.send(userCreated())).rejects.toBe(broken);
      const sending = quiet.send(userCreated());
      expect(sending).toBeInstanceOf(Promise);
      await expect(sending).resolves.toBeUndefined();
    });
  });
});
