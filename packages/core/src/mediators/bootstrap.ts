import type { DependencyContainer } from 'tsyringe';
import type { MessageBroker } from '../brokers/message-broker';
import type { Container } from '../container/container';
import { TsyringeContainer, isTsyringeContainer } from '../container/tsyringe-container';
import { EventMap } from '../events/event-map';
import { ConfigurationError } from '../errors/errors';
import { consoleLogger, type Logger } from '../logging/logger';
import type { Middleware } from '../middlewares/middleware';
import type { Outbox } from '../outbox/outbox';
import { OutboxMessageBroker } from '../outbox/outbox-message-broker';
import { RequestMap } from '../requests/request-map';
import { EventDispatcher } from './event-dispatcher';
import { EventHandlerRegistry } from './event-handler-registry';
import { EventMediator } from './event-mediator';
import { RequestMediator } from './request-mediator';

/** Fills a map with bindings [commands_mapper(mapper)]. */
export type Mapper<M> = (mapper: M) => void;

/** Options of `bootstrap`. */
export interface BootstrapOptions {
  /** DI container; a tsyringe `DependencyContainer` or any `Container`. Default: a tsyringe child container. */
  readonly container?: Container | DependencyContainer;
  /** Binds command classes to their handlers [commands_mapper]. */
  readonly commandsMapper?: Mapper<RequestMap>;
  /** Binds query classes to their handlers [queries_mapper]; a request bound in both maps is refused. */
  readonly queriesMapper?: Mapper<RequestMap>;
  /** Binds domain events to the handlers that run in-process after a request succeeded [domain_events_mapper]. */
  readonly domainEventsMapper?: Mapper<EventMap>;
  /** Where notification events go; without one they are logged as a warning, never dropped silently. */
  readonly messageBroker?: MessageBroker;
  /**
   * Notification events are saved here, in the handler's transaction, instead of published:
   * `send()` publishes nothing and a relay does it after the commit. Excludes `messageBroker`.
   */
  readonly outbox?: Outbox;
  /** Wrap every `send()`, first in the list outermost. */
  readonly middlewares?: readonly Middleware[];
  /** Default: console, warnings and errors only. */
  readonly logger?: Logger;
  /** Depth of follow-up domain events before it counts as a cycle; default 32. */
  readonly maxEventDepth?: number;
}

/** Options of `bootstrapEvents`. */
export interface BootstrapEventsOptions {
  /** DI container; a tsyringe `DependencyContainer` or any `Container`. Default: a tsyringe child container. */
  readonly container?: Container | DependencyContainer;
  /** Binds event classes to their handlers [events_mapper]. */
  readonly eventsMapper?: Mapper<EventMap>;
  /** Where notification events raised by event handlers go. */
  readonly messageBroker?: MessageBroker;
  /** Notification events raised by event handlers are saved here instead, in the handler's transaction. Excludes `messageBroker`. */
  readonly outbox?: Outbox;
  /** Wrap every `send()`, first in the list outermost. */
  readonly middlewares?: readonly Middleware[];
  /** Handlers of one event run at most this many at once; default 1 (sequential), `Infinity` for all. */
  readonly concurrency?: number;
  /** Default: console, warnings and errors only. */
  readonly logger?: Logger;
}

function asContainer(container: Container | DependencyContainer | undefined): Container {
  if (container === undefined) return new TsyringeContainer();
  if (container instanceof TsyringeContainer) return container;
  // A raw tsyringe container gets the wrapper, and with it the fast factory path.
  return isTsyringeContainer(container) ? new TsyringeContainer(container) : container;
}

/** The broker notification events go to: the outbox's when one is configured. */
function brokerOf(options: { readonly messageBroker?: MessageBroker; readonly outbox?: Outbox }): MessageBroker | undefined {
  if (options.outbox === undefined) return options.messageBroker;
  if (options.messageBroker !== undefined) throw new ConfigurationError('give either messageBroker or outbox: with an outbox, a relay publishes the events');
  return new OutboxMessageBroker(options.outbox);
}

function fill<M>(map: M, mapper: Mapper<M> | undefined): M {
  mapper?.(map);
  return map;
}

/** Builds a `RequestMediator` from mappers [bootstrap.bootstrap(...)]. */
export function bootstrap(options: BootstrapOptions = {}): RequestMediator {
  const container = asContainer(options.container);
  const logger = options.logger ?? consoleLogger();
  const dispatcher = new EventDispatcher({
    handlers: new EventHandlerRegistry(container, fill(new EventMap(), options.domainEventsMapper), logger),
    messageBroker: brokerOf(options),
    ...(options.maxEventDepth === undefined ? {} : { maxDepth: options.maxEventDepth }),
  });
  return new RequestMediator({
    container,
    requestMaps: [fill(new RequestMap(), options.commandsMapper), fill(new RequestMap(), options.queriesMapper)],
    dispatcher,
    ...(options.middlewares === undefined ? {} : { middlewares: options.middlewares }),
  });
}

/** Builds an `EventMediator` for events arriving from a broker [events.bootstrap.bootstrap(...)]. */
export function bootstrapEvents(options: BootstrapEventsOptions = {}): EventMediator {
  const container = asContainer(options.container);
  const logger = options.logger ?? consoleLogger();
  const handlers = new EventHandlerRegistry(container, fill(new EventMap(), options.eventsMapper), logger);
  return new EventMediator({
    handlers,
    dispatcher: new EventDispatcher({ handlers, messageBroker: brokerOf(options) }),
    ...(options.middlewares === undefined ? {} : { middlewares: options.middlewares }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
}
