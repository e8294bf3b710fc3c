import { CqrsError, type CqrsErrorOptions } from './cqrs-error';

/** `send()` was given a request whose class has no bound handler. */
export class HandlerNotFoundError extends CqrsError {
  constructor(readonly requestName: string) {
    super('HANDLER_NOT_FOUND', `No handler is bound for request ${requestName}; bind one with RequestMap.bind(${requestName}, Handler)`);
    this.name = 'HandlerNotFoundError';
  }
}

/**
 * A request class was bound to a second handler, or an event class to the same handler twice.
 * `requestName` is the request (or event) class's name.
 */
export class DuplicateHandlerError extends CqrsError {
  constructor(readonly requestName: string, existing: string, attempted: string, kind: 'request' | 'event' = 'request') {
    super(
      'DUPLICATE_HANDLER',
      kind === 'request'
        ? `Request ${requestName} is already bound to ${existing}; refusing to bind it to ${attempted}`
        : `${attempted} is already bound to event ${requestName}; an event handler is bound once`,
    );
    this.name = 'DuplicateHandlerError';
  }
}

/** An event or request failed validation when built from untrusted data. */
export class ValidationError extends CqrsError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('VALIDATION_FAILED', message, options);
    this.name = 'ValidationError';
  }
}

/** A message broker could not deliver a message. */
export class MessageBrokerError extends CqrsError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('BROKER_ERROR', message, { retriable: true, ...options });
    this.name = 'MessageBrokerError';
  }
}

/** Domain events kept raising follow-up events past the configured depth: most likely a cycle. */
export class EventCycleError extends CqrsError {
  constructor(depth: number, eventName: string) {
    super('EVENT_CYCLE', `Domain event processing exceeded depth ${depth} at ${eventName}; do handlers raise each other in a loop?`);
    this.name = 'EventCycleError';
  }
}

/** Options of `ConfigurationError`: a package's own code and the cause. */
export interface ConfigurationErrorOptions {
  /** A package's own code (`KAFKA_INVALID_OPTIONS`); default `INVALID_CONFIGURATION`. */
  readonly code?: string;
  readonly cause?: unknown;
}

/**
 * An option was given a value that cannot work (a negative delay, zero attempts, ...). The
 * transports' configuration errors extend it, so one `instanceof` catches them all.
 */
export class ConfigurationError extends CqrsError {
  constructor(message: string, options: ConfigurationErrorOptions = {}) {
    super(options.code ?? 'INVALID_CONFIGURATION', message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'ConfigurationError';
  }
}

/**
 * A consumer was used out of order: `subscribe()` after `start()`, `start()` twice, `start()`
 * after `stop()`. Every transport throws this one for the same misuse.
 */
export class ConsumerStateError extends CqrsError {
  constructor(message: string) {
    super('CONSUMER_STATE', message);
    this.name = 'ConsumerStateError';
  }
}

/** A subscription that cannot be served: no topics, a topic or queue subscribed twice, no subscription at `start()`. */
export class SubscriptionError extends ConfigurationError {
  constructor(message: string) {
    super(message, { code: 'SUBSCRIPTION_INVALID' });
    this.name = 'SubscriptionError';
  }
}
