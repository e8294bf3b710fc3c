import { ConfigurationError, CqrsError, isCqrsError, type CqrsErrorOptions } from '@cqrs/core';

/** Root of every error `@cqrs/rabbitmq` throws; `code` says which one without `instanceof`. */
export class AMQPError extends CqrsError {
  constructor(code: string, message: string, options: CqrsErrorOptions = {}) {
    super(code, message, options);
    this.name = 'AMQPError';
  }
}

/** The broker could not be reached, or the connection dropped; trying again later may work. */
export class AMQPConnectionError extends AMQPError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('AMQP_CONNECTION', message, { retriable: true, ...options });
    this.name = 'AMQPConnectionError';
  }
}

/** The broker refused the credentials or the virtual host; retrying with the same ones won't help. */
export class AMQPAuthenticationError extends AMQPError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('AMQP_AUTHENTICATION', message, { retriable: false, ...options });
    this.name = 'AMQPAuthenticationError';
  }
}

/** A publish was not confirmed within its timeout, typically because the broker was unreachable meanwhile. */
export class AMQPPublishTimeoutError extends AMQPError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('AMQP_PUBLISH_TIMEOUT', message, { retriable: true, ...options });
    this.name = 'AMQPPublishTimeoutError';
  }
}

/** The broker answered a publish with `basic.nack`: it did not take responsibility for the message. */
export class AMQPPublishNackedError extends AMQPError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('AMQP_PUBLISH_NACKED', message, { retriable: true, ...options });
    this.name = 'AMQPPublishNackedError';
  }
}

/**
 * The broker returned a mandatory publish (`basic.return`): no queue is bound for its routing key
 * and the exchange has no alternate exchange. Not retriable by default: bind a queue (or set
 * `alternateExchange`) first.
 */
export class AMQPUnroutableError extends AMQPError {
  /** The exchange the message was published to. */
  readonly exchange: string;
  /** The routing key nothing was bound for. */
  readonly routingKey: string;

  constructor(message: string, init: { exchange: string; routingKey: string }, options: CqrsErrorOptions = {}) {
    super('AMQP_UNROUTABLE', message, { retriable: false, ...options });
    this.name = 'AMQPUnroutableError';
    this.exchange = init.exchange;
    this.routingKey = init.routingKey;
  }
}

/** Declaring or checking exchanges, queues or bindings failed (missing, or declared with other arguments). */
export class AMQPTopologyError extends AMQPError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('AMQP_TOPOLOGY', message, { retriable: false, ...options });
    this.name = 'AMQPTopologyError';
  }
}

/** Options that cannot work (a `prefetch` of 0, ...), caught before anything connects; a core `ConfigurationError`. */
export class AMQPConfigError extends ConfigurationError {
  constructor(message: string) {
    super(message, { code: 'AMQP_INVALID_OPTIONS' });
    this.name = 'AMQPConfigError';
  }
}

/** The publisher or consumer was closed; it takes no more work. */
export class AMQPClosedError extends AMQPError {
  constructor(message: string) {
    super('AMQP_CLOSED', message, { retriable: false });
    this.name = 'AMQPClosedError';
  }
}

/** True for any error `@cqrs/rabbitmq` throws (`AMQPConfigError` included), also one from another copy of the package (ESM beside CJS). */
export function isAMQPError(value: unknown): value is CqrsError {
  return isCqrsError(value) && value.code.startsWith('AMQP_');
}
