import {
  DomainEvent,
  NotificationEvent,
  Request,
  bootstrap,
  bootstrapEvents,
  composeMiddlewares,
  silentLogger,
  type EventHandler,
  type Middleware,
  type RequestHandler,
} from '@cqrs/core';

class Echo extends Request<string> {
  constructor(readonly text: string) {
    super();
  }
}
class EchoHandler implements RequestHandler<Echo> {
  handle(request: Echo): string {
    return request.text;
  }
}
class Seen extends NotificationEvent<{ n: number }> {}
class Local extends DomainEvent {}

/** A middleware that records when it is entered and left. */
const tracing =
  (name: string, trace: string[]): Middleware =>
  async (message, next) => {
    trace.push(`${name} in ${message.constructor.name}`);
    try {
      return await next(message);
    } finally {
      trace.push(`${name} out`);
    }
  };

describe('middlewares', () => {
  test('run in list order around the handler, first outermost', async () => {
    const trace: string[] = [];
    class TracedHandler implements RequestHandler<Echo> {
      handle(request: Echo): string {
        trace.push('handler');
        return request.text;
      }
    }
    const mediator = bootstrap({
      commandsMapper: (m) => m.bind(Echo, TracedHandler),
      middlewares: [tracing('outer', trace), tracing('inner', trace)],
      logger: silentLogger,
    });
    expect(await mediator.send(new Echo('hi'))).toBe('hi');
    expect(trace).toEqual(['outer in Echo', 'inner in Echo', 'handler', 'inner out', 'outer out']);
  });

  test('apply to the EventMediator as well', async () => {
    const trace: string[] = [];
    class SeenHandler implements EventHandler<Seen> {
      handle(): void {
        trace.push('handler');
      }
    }
    const mediator = bootstrapEvents({ eventsMapper: (m) => m.bind(Seen, SeenHandler), middlewares: [tracing('mw', trace)], logger: silentLogger });
    await mediator.send(new Seen({ eventName: 'seen', topic: 't', payload: { n: 1 } }));
    expect(trace).toEqual(['mw in Seen', 'handler', 'mw out']);
  });

  test('can change the result, replace the message, or short-circuit', async () => {
    const upper: Middleware = async (message, next) => String(await next(message)).toUpperCase();
    const rewrite: Middleware = async (message, next) => next(message instanceof Echo ? new Echo(`${message.text}!`) : message);
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(Echo, EchoHandler), middlewares: [upper, rewrite], logger: silentLogger });
    expect(await mediator.send(new Echo('hi'))).toBe('HI!');

    const cached: Middleware = async () => 'from cache';
    const short = bootstrap({ commandsMapper: (m) => m.bind(Echo, EchoHandler), middlewares: [cached], logger: silentLogger });
    expect(await short.send(new Echo('hi'))).toBe('from cache');
  });

  test('a throwing middleware rejects the send and the handler never runs', async () => {
    let ran = false;
    class Handler implements RequestHandler<Echo> {
      handle(): string {
        ran = true;
        return '';
      }
    }
    const deny: Middleware = async () => {
      throw new Error('forbidden');
    };
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(Echo, Handler), middlewares: [deny], logger: silentLogger });
    await expect(mediator.send(new Echo('x'))).rejects.toThrow('forbidden');
    expect(ran).toBe(false);
  });

  test('domain events handled in-process do not pass through request middlewares', async () => {
    const trace: string[] = [];
    class Raising implements RequestHandler<Echo> {
      readonly events = [new Local()];
      handle(request: Echo): string {
        return request.text;
      }
    }
    class LocalHandler implements EventHandler<Local> {
      handle(): void {
        trace.push('local handled');
      }
    }
    const mediator = bootstrap({
      commandsMapper: (m) => m.bind(Echo, Raising),
      domainEventsMapper: (m) => m.bind(Local, LocalHandler),
      middlewares: [tracing('mw', trace)],
      logger: silentLogger,
    });
    await mediator.send(new Echo('x'));
    expect(trace).toEqual(['mw in Echo', 'local handled', 'mw out']);
  });

  test('composeMiddlewares with none calls the final step directly', async () => {
    const final = jest.fn(async () => 'final');
    const composed = composeMiddlewares([], final);
    expect(composed).toBe(final);
    expect(await composed(new Echo('x'))).toBe('final');
  });
});
