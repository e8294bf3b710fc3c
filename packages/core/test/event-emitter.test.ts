import {
  ConfigurationError,
  DomainEvent,
  ECSTEvent,
  EventCycleError,
  EventRaiser,
  EventRaisingHandler,
  NotificationEvent,
  Request,
  bootstrap,
  type EventHandler,
  type Message,
  type MessageBroker,
} from '@cqrs/core';
import { CapturingLogger } from './support/capturing-logger';

class Go extends Request {}
class OrderPlaced extends DomainEvent {
  constructor(readonly orderId: string) {
    super();
  }
}
class StockReserved extends DomainEvent {
  constructor(readonly orderId: string) {
    super();
  }
}
class Nobody extends DomainEvent {}
class Ping extends DomainEvent {}
class OrderShipped extends NotificationEvent<{ orderId: string }> {}
class OrderState extends ECSTEvent<{ orderId: string; status: string }> {}

const shipped = (orderId: string): OrderShipped => new OrderShipped({ eventName: 'order_shipped', topic: 'orders', payload: { orderId } });
const state = (orderId: string): OrderState => new OrderState({ eventName: 'order_state', topic: 'order_state', payload: { orderId, status: 'shipped' } });

/** A handler for `Go` that raises the given events. */
function raising(...events: (() => DomainEvent | NotificationEvent<unknown>)[]) {
  return class GoHandler extends EventRaisingHandler<Go> {
    handle(): void {
      this.raise(...events.map((make) => make()));
    }
  };
}

/** A broker with both entry points, recording each call. */
class BatchingBroker implements MessageBroker {
  readonly calls: { readonly method: 'sendMessage' | 'sendMessages'; readonly messages: readonly Message[] }[] = [];
  async sendMessage(message: Message): Promise<void> {
    this.calls.push({ method: 'sendMessage', messages: [message] });
  }
  async sendMessages(messages: readonly Message[]): Promise<void> {
    this.calls.push({ method: 'sendMessages', messages });
  }
}

describe('domain events', () => {
  test('follow-up events raised by event handlers are processed too, breadth first', async () => {
    const log: string[] = [];
    class OrderPlacedHandler extends EventRaiser implements EventHandler<OrderPlaced> {
      handle(event: OrderPlaced): void {
        log.push(`placed ${event.orderId}`);
        this.raise(new StockReserved(event.orderId), shipped(event.orderId));
      }
    }
    class StockReservedHandler implements EventHandler<StockReserved> {
      handle(event: StockReserved): void {
        log.push(`reserved ${event.orderId}`);
      }
    }
    const broker = new BatchingBroker();
    const mediator = bootstrap({
      commandsMapper: (m) => m.bind(Go, raising(() => new OrderPlaced('o1'), () => new OrderPlaced('o2'))),
      domainEventsMapper: (m) => m.bind(OrderPlaced, OrderPlacedHandler).bind(StockReserved, StockReservedHandler),
      messageBroker: broker,
      logger: new CapturingLogger(),
    });
    await mediator.send(new Go());
    expect(log).toEqual(['placed o1', 'placed o2', 'reserved o1', 'reserved o2']);
    expect(broker.calls).toHaveLength(1);
    expect(broker.calls[0]?.messages.map((m) => (m.payload as OrderShipped).payload.orderId)).toEqual(['o1', 'o2']);
  });

  test('a domain event with no handler is ignored and logged once, naming it', async () => {
    const logger = new CapturingLogger();
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(Go, raising(() => new Nobody())), logger });
    await mediator.send(new Go());
    await mediator.send(new Go());
    const warnings = logger.at('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/no handler is bound for domain event Nobody/);
    expect(warnings[0]?.fields).toEqual({ event: 'Nobody' });
  });

  test('handlers raising each other forever end in EventCycleError', async () => {
    let handled = 0;
    class PingHandler extends EventRaiser implements EventHandler<Ping> {
      handle(): void {
        handled += 1;
        this.raise(new Ping());
      }
    }
    const mediator = bootstrap({
      commandsMapper: (m) => m.bind(Go, raising(() => new Ping())),
      domainEventsMapper: (m) => m.bind(Ping, PingHandler),
      maxEventDepth: 5,
      logger: new CapturingLogger(),
    });
    const sent = mediator.send(new Go());
    await expect(sent).rejects.toBeInstanceOf(EventCycleError);
    await expect(sent).rejects.toMatchObject({ code: 'EVENT_CYCLE', name: 'EventCycleError' });
    await expect(sent).rejects.toThrow(/depth 5 at Ping/);
    expect(handled).toBe(5);
  });

  test('maxEventDepth must be a positive integer', () => {
    expect(() => bootstrap({ maxEventDepth: 0 })).toThrow(ConfigurationError);
    expect(() => bootstrap({ maxEventDepth: Number.NaN })).toThrow(/maxDepth must be a positive integer/);
  });
});

describe('notification and ECST events', () => {
  test('a single event goes through sendMessage', async () => {
    const broker = new BatchingBroker();
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(Go, raising(() => shipped('o1'))), messageBroker: broker, logger: new CapturingLogger() });
    await mediator.send(new Go());
    expect(broker.calls.map((c) => c.method)).toEqual(['sendMessage']);
    expect(broker.calls[0]?.messages[0]).toMatchObject({ messageName: 'order_shipped', topic: 'orders' });
  });

  test('several events go in one sendMessages batch, ECST included, in raise order', async () => {
    const broker = new BatchingBroker();
    const mediator = bootstrap({
      commandsMapper: (m) => m.bind(Go, raising(() => shipped('o1'), () => state('o1'))),
      messageBroker: broker,
      logger: new CapturingLogger(),
    });
    await mediator.send(new Go());
    expect(broker.calls.map((c) => c.method)).toEqual(['sendMessages']);
    const [first, second] = broker.calls[0]?.messages ?? [];
    expect(first?.topic).toBe('orders');
    expect(second?.topic).toBe('order_state');
    expect((second?.payload as OrderState).eventType).toBe('ecst_event');
    expect(second?.messageId).toBe((second?.payload as OrderState).eventId);
  });

  test('a broker without sendMessages gets one sendMessage per event', async () => {
    const topics: string[] = [];
    const broker: MessageBroker = {
      sendMessage: async (message) => {
        topics.push(message.topic);
      },
    };
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(Go, raising(() => shipped('o1'), () => state('o1'))), messageBroker: broker, logger: new CapturingLogger() });
    await mediator.send(new Go());
    expect(topics).toEqual(['orders', 'order_state']);
  });

  test('with no broker configured each event is logged as a warning naming it', async () => {
    const logger = new CapturingLogger();
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(Go, raising(() => shipped('o1'))), logger });
    await mediator.send(new Go());
    const warnings = logger.at('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/no message broker is configured; notification event OrderShipped 'order_shipped'/);
    expect(warnings[0]?.fields).toMatchObject({ event: 'OrderShipped', eventName: 'order_shipped', topic: 'orders' });
  });

  test('a broker failure reaches the caller', async () => {
    const broker: MessageBroker = {
      sendMessage: async () => {
        throw new Error('broker unreachable');
      },
    };
    const mediator = bootstrap({ commandsMapper: (m) => m.bind(Go, raising(() => shipped('o1'))), messageBroker: broker, logger: new CapturingLogger() });
    await expect(mediator.send(new Go())).rejects.toThrow('broker unreachable');
  });
});
