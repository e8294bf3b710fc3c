import { messageFromEvent, type Message } from '../brokers/message';
import type { MessageBroker } from '../brokers/message-broker';
import { factoryOf, type Container } from '../container/container';
import { ConfigurationError, EventCycleError } from '../errors/errors';
import type { AnyEvent, EventClass } from '../events/any-event';
import type { EventHandler } from '../events/event-handler';
import type { EventMap } from '../events/event-map';
import { isNotificationEvent } from '../events/notification-event';
import type { Logger } from '../logging/logger';
import { runAll } from './run-all';

/** Options of `EventEmitter`. */
export interface EventEmitterOptions {
  readonly container: Container;
  readonly eventMap: EventMap;
  readonly messageBroker: MessageBroker | undefined;
  readonly logger: Logger;
  /** How deep follow-up domain events may nest before it is treated as a cycle; default 32. */
  readonly maxDepth?: number;
}

type HandlerFactory = () => EventHandler<AnyEvent>;

/**
 * Emits the events a handler raised, after it succeeded: domain events to their in-process
 * handlers (and their follow-up events, breadth first), notification and ECST events to the
 * message broker, in one batch when the broker supports it.
 */
export class EventEmitter {
  readonly #options: EventEmitterOptions;
  readonly #maxDepth: number;
  readonly #factories = new Map<EventClass, readonly HandlerFactory[]>();
  readonly #warnedUnhandled = new Set<EventClass>();

  constructor(options: EventEmitterOptions) {
    const maxDepth = options.maxDepth ?? 32;
    if (!Number.isInteger(maxDepth) || maxDepth < 1) throw new ConfigurationError(`maxDepth must be a positive integer, got ${maxDepth}`);
    this.#options = options;
    this.#maxDepth = maxDepth;
  }

  /** Emits `events` and everything they raise in turn. */
  async emit(events: readonly AnyEvent[]): Promise<void> {
    let current = events;
    for (let depth = 0; current.length > 0; depth += 1) {
      if (depth >= this.#maxDepth) throw new EventCycleError(this.#maxDepth, current[0]!.constructor.name);
      // Arrays only when needed: most sends raise one or two events and no follow-ups.
      let followUps: AnyEvent[] | undefined;
      let outgoing: Message[] | undefined;
      for (const event of current) {
        if (isNotificationEvent(event)) {
          (outgoing ??= []).push(messageFromEvent(event));
        } else {
          const raised = await this.#handleDomainEvent(event);
          if (raised !== undefined) (followUps ??= []).push(...raised);
        }
      }
      if (outgoing !== undefined) await this.#publish(outgoing);
      if (followUps === undefined) return;
      current = followUps;
    }
  }

  /** The prepared handler factories of an event class, built once. */
  factoriesFor(eventClass: EventClass): readonly HandlerFactory[] {
    let factories = this.#factories.get(eventClass);
    if (factories === undefined) {
      factories = this.#options.eventMap.get(eventClass).map((handler) => factoryOf(this.#options.container, handler));
      this.#factories.set(eventClass, factories);
    }
    return factories;
  }

  /** Runs the handlers of a domain event; resolves to what they raised, if anything. */
  async #handleDomainEvent(event: AnyEvent): Promise<readonly AnyEvent[] | undefined> {
    const eventClass = event.constructor as EventClass;
    const factories = this.factoriesFor(eventClass);
    if (factories.length === 0) {
      if (!this.#warnedUnhandled.has(eventClass)) {
        this.#warnedUnhandled.add(eventClass);
        this.#options.logger.warn(`no handler is bound for domain event ${eventClass.name}; it is ignored`, { event: eventClass.name });
      }
      return undefined;
    }
    if (factories.length === 1) {
      const handler = (factories[0] as HandlerFactory)();
      await handler.handle(event);
      const raised = handler.events;
      return raised !== undefined && raised.length > 0 ? raised : undefined;
    }
    let raised: AnyEvent[] | undefined;
    await runAll(factories, 1, async (factory) => {
      const handler = factory();
      await handler.handle(event);
      if (handler.events !== undefined && handler.events.length > 0) (raised ??= []).push(...handler.events);
    });
    return raised;
  }

  async #publish(messages: Message[]): Promise<void> {
    const broker = this.#options.messageBroker;
    if (broker === undefined) {
      for (const message of messages) {
        const eventClass = (message.payload as object).constructor.name;
        this.#options.logger.warn(`no message broker is configured; notification event ${eventClass} '${message.messageName}' (${message.messageId}) was not published`, {
          event: eventClass,
          eventName: message.messageName,
          eventId: message.messageId,
          topic: message.topic,
        });
      }
      return;
    }
    if (messages.length === 1) await broker.sendMessage(messages[0] as Message);
    else if (broker.sendMessages !== undefined) await broker.sendMessages(messages);
    else for (const message of messages) await broker.sendMessage(message);
  }
}
