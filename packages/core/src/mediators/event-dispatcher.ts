import { messageFromEvent, type Message } from '../brokers/message';
import type { MessageBroker } from '../brokers/message-broker';
import { ConfigurationError, EventCycleError } from '../errors/errors';
import type { AnyEvent } from '../events/any-event';
import { isNotificationEvent } from '../events/notification-event';
import type { EventHandlerRegistry } from './event-handler-registry';

/** Options of `EventDispatcher`. */
export interface EventDispatcherOptions {
  /** The domain event handlers, shared with the `EventMediator` when there is one. */
  readonly handlers: EventHandlerRegistry;
  readonly messageBroker: MessageBroker | undefined;
  /** How deep follow-up domain events may nest before it is treated as a cycle. @default 32 */
  readonly maxDepth?: number;
}

/** The defaults of `EventDispatcherOptions`. */
export const eventDispatcherDefaults = Object.freeze({ maxDepth: 32 });

/**
 * Dispatches the events a handler raised, after it succeeded [EventEmitter]: domain events to
 * their in-process handlers (and their follow-up events, breadth first), notification and ECST
 * events to the message broker, in one batch when the broker supports it.
 */
export class EventDispatcher {
  readonly #handlers: EventHandlerRegistry;
  readonly #broker: MessageBroker | undefined;
  readonly #maxDepth: number;

  constructor(options: EventDispatcherOptions) {
    const maxDepth = options.maxDepth ?? eventDispatcherDefaults.maxDepth;
    if (!Number.isInteger(maxDepth) || maxDepth < 1) throw new ConfigurationError(`maxDepth must be a positive integer, got ${maxDepth}`);
    this.#handlers = options.handlers;
    this.#broker = options.messageBroker;
    this.#maxDepth = maxDepth;
  }

  /** Dispatches `events` and everything they raise in turn. */
  async dispatch(events: readonly AnyEvent[]): Promise<void> {
    let current = events;
    for (let depth = 0; current.length > 0; depth += 1) {
      if (depth >= this.#maxDepth) throw new EventCycleError(this.#maxDepth, current[0]!.constructor.name);
      // Arrays only when needed: most sends raise one or two events and no follow-ups.
      let followUps: AnyEvent[] | undefined;
      let outgoing: Message[] | undefined;
      const collect = (raised: readonly AnyEvent[]): void => void (followUps ??= []).push(...raised);
      for (const event of current) {
        if (isNotificationEvent(event)) (outgoing ??= []).push(messageFromEvent(event));
        else await this.#handlers.run(event, 1, 'domain event', collect);
      }
      if (outgoing !== undefined) await this.#publish(outgoing);
      if (followUps === undefined) return;
      current = followUps;
    }
  }

  async #publish(messages: Message[]): Promise<void> {
    const broker = this.#broker;
    if (broker === undefined) {
      for (const message of messages) {
        const eventClass = (message.payload as object).constructor.name;
        this.#handlers.logger.warn(`no message broker is configured; notification event ${eventClass} '${message.messageName}' (${message.messageId}) was not published`, {
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
