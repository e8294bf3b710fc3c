// The cost of RequestMediator.send() against two baselines measured in the same run:
//   - a direct call, `await handler.handle(command)` on a handler built once;
//   - @nestjs/cqrs's CommandBus.execute with a no-op handler (a real Nest application context).
// Also shown for scale: building the handler with tsyringe's resolve() on every call, which is
// what a naive mediator would do, and the events case written by hand (build the handler, run
// it, hand its domain event to the domain handler and its notification event to the broker), so
// the cost of creating events is not mistaken for the mediator's.
//
//   pnpm turbo run build --filter=@cqrs/bench... && node bench/dist/mediator.js
//
// Environment: BENCH_ITERATIONS (calls per round, default 200000), BENCH_ROUNDS (default 15).
import 'reflect-metadata';
import { container as tsyringeRoot } from 'tsyringe';
import {
  DevnullMessageBroker,
  DomainEvent,
  EventRaisingHandler,
  NotificationEvent,
  Request,
  bootstrap,
  isNotificationEvent,
  messageFromEvent,
  silentLogger,
  type EventHandler,
  type Middleware,
  type RequestHandler,
} from '@cqrs/core';
import { compare, machineLine, printTable, ratioRows, type BenchCase } from './lib';
import { nestNoopCommandBus } from './lib/nest-command-bus';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

class NoopCommand extends Request {}
class NoopHandler implements RequestHandler<NoopCommand> {
  async handle(_command: NoopCommand): Promise<void> {}
}

class EventfulCommand extends Request {}
class SomethingHappened extends DomainEvent {}
class SomethingPublished extends NotificationEvent<{ readonly id: number }> {}
class EventfulHandler extends EventRaisingHandler<EventfulCommand> {
  async handle(_command: EventfulCommand): Promise<void> {
    this.raise(new SomethingHappened(), new SomethingPublished({ eventName: 'something_published', topic: 'bench', payload: { id: 1 } }));
  }
}
class SomethingHappenedHandler implements EventHandler<SomethingHappened> {
  async handle(_event: SomethingHappened): Promise<void> {}
}

const passThrough: Middleware = (message, next) => next(message);

async function main(): Promise<void> {
  console.log(`mediator dispatch, ${machineLine()}`);
  console.log(`median of ${ROUNDS} rounds × ${ITERATIONS} calls, rounds interleaved across cases\n`);

  const nest = await nestNoopCommandBus();
  const mediator = bootstrap({
    commandsMapper: (m) => m.bind(NoopCommand, NoopHandler).bind(EventfulCommand, EventfulHandler),
    domainEventsMapper: (m) => m.bind(SomethingHappened, SomethingHappenedHandler),
    messageBroker: new DevnullMessageBroker(),
    logger: silentLogger,
  });
  const withMiddleware = bootstrap({ commandsMapper: (m) => m.bind(NoopCommand, NoopHandler), middlewares: [passThrough], logger: silentLogger });
  const tsyringe = tsyringeRoot.createChildContainer();

  const handler = new NoopHandler();
  const noop = new NoopCommand();
  const eventful = new EventfulCommand();
  const devnull = new DevnullMessageBroker();
  const domainHandler = new SomethingHappenedHandler();
  const eventsByHand = async (): Promise<void> => {
    const eventfulHandler = new EventfulHandler();
    await eventfulHandler.handle(eventful);
    for (const event of eventfulHandler.events) {
      if (isNotificationEvent(event)) await devnull.sendMessage(messageFromEvent(event));
      else await domainHandler.handle(event);
    }
  };

  const cases: BenchCase[] = [
    { name: 'direct', fn: () => handler.handle(noop) },
    { name: 'nest', fn: () => nest.execute() },
    { name: 'tsyringe resolve + handle', fn: () => tsyringe.resolve(NoopHandler).handle(noop) },
    { name: 'send(noop)', fn: () => mediator.send(noop) },
    { name: 'send(noop) + 1 middleware', fn: () => withMiddleware.send(noop) },
    { name: 'by hand: 1 domain + 1 notification event', fn: eventsByHand },
    { name: 'send(1 domain + 1 notification event)', fn: () => mediator.send(eventful) },
  ];
  const results = await compare(cases, { iterations: ITERATIONS, warmup: ITERATIONS, rounds: ROUNDS });
  printTable(ratioRows(results, ['direct', 'nest']));

  const byName = new Map(results.map((r) => [r.name, r.medianNs]));
  const ns = (name: string): number => byName.get(name) ?? Number.NaN;
  const send = ns('send(noop)');
  console.log(`\nsend(noop): ${(send / ns('nest')).toFixed(2)}× Nest's CommandBus.execute (${send <= ns('nest') ? 'no more than' : 'more than'} Nest's bus)`);
  console.log(`send with events: ${(ns('send(1 domain + 1 notification event)') / ns('by hand: 1 domain + 1 notification event')).toFixed(2)}× the same work by hand`);
  await nest.close();
}

void main();
