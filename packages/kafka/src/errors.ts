import { ConfigurationError, CqrsError, SubscriptionError, isCqrsError, type CqrsErrorOptions } from '@cqrs/core';

/** Root of every error `@cqrs/kafka` throws; `code` says which one without `instanceof`. */
export class KafkaError extends CqrsError {
  constructor(code: string, message: string, options: CqrsErrorOptions = {}) {
    super(code, message, options);
    this.name = 'KafkaError';
  }
}

/**
 * Options that cannot work together, caught before any connection is made. A core
 * `ConfigurationError` (so one `instanceof` catches every package's); `isKafkaError` is true for it.
 */
export class KafkaConfigError extends ConfigurationError {
  constructor(message: string) {
    super(message, { code: 'KAFKA_INVALID_OPTIONS' });
    this.name = 'KafkaConfigError';
  }
}

/** No broker could be reached (after the configured retries); trying again later may work. */
export class KafkaConnectionError extends KafkaError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('KAFKA_CONNECTION', message, { retriable: true, ...options });
    this.name = 'KafkaConnectionError';
  }
}

/** The broker refused the SASL credentials or the TLS handshake; retrying with the same ones won't help. */
export class KafkaAuthenticationError extends KafkaError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('KAFKA_AUTHENTICATION', message, { retriable: false, ...options });
    this.name = 'KafkaAuthenticationError';
  }
}

/** A produce request failed after the configured retries. */
export class KafkaPublishError extends KafkaError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('KAFKA_PUBLISH', message, { retriable: true, ...options });
    this.name = 'KafkaPublishError';
  }
}

/** kafkajs gave up on a consumer after an error it could not recover from; the consumer has stopped. */
export class KafkaConsumerCrashedError extends KafkaError {
  constructor(message: string, options: CqrsErrorOptions = {}) {
    super('KAFKA_CONSUMER_CRASHED', message, { retriable: true, ...options });
    this.name = 'KafkaConsumerCrashedError';
  }
}

/**
 * A subscribed topic still did not exist when the consumer's `startTimeoutMs` ran out. A core
 * `SubscriptionError` (code `SUBSCRIPTION_INVALID`); `topics` names the missing ones.
 */
export class KafkaMissingTopicError extends SubscriptionError {
  /** The subscribed topics, at least one of which does not exist. */
  readonly topics: readonly string[];

  constructor(topics: readonly string[], timeoutMs: number, cause?: unknown) {
    const reason = cause instanceof Error ? `: ${cause.message}` : '';
    super(`topic ${topics.join(', ')} does not exist (waited ${timeoutMs} ms; create it or set createTopics)${reason}`);
    this.name = 'KafkaMissingTopicError';
    this.topics = topics;
  }
}

/** The producer was closed; it takes no more work. */
export class KafkaClosedError extends KafkaError {
  constructor(message: string) {
    super('KAFKA_CLOSED', message, { retriable: false });
    this.name = 'KafkaClosedError';
  }
}

/** True for any error `@cqrs/kafka` throws (`KafkaConfigError` included), also one from another copy of the package (ESM beside CJS). */
export function isKafkaError(value: unknown): value is CqrsError {
  return isCqrsError(value) && value.code.startsWith('KAFKA_');
}
