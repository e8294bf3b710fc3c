export * from './errors/index';
export * from './requests/index';
export * from './events/index';

export { factoryOf, type Constructor, type Container, type FactoryContainer } from './container/container';
export { TsyringeContainer, isTsyringeContainer } from './container/tsyringe-container';

export { composeMiddlewares, type Middleware, type Next } from './middlewares/middleware';
export { loggingMiddleware, type LoggingMiddlewareOptions } from './middlewares/logging-middleware';

export { consoleLogger, silentLogger, type LogFields, type LogLevel, type Logger } from './logging/logger';
export { redact, redactUrl } from './logging/redact';

export { EventEmitter, type EventEmitterOptions } from './mediators/event-emitter';
export { EventMediator, type EventMediatorOptions } from './mediators/event-mediator';
export { RequestMediator, type RequestMediatorOptions } from './mediators/request-mediator';
export { bootstrap, bootstrapEvents, type BootstrapEventsOptions, type BootstrapOptions, type Mapper } from './mediators/bootstrap';

export { messageFromEvent, type Message, type MessageHeaders } from './brokers/message';
export type { MessageBroker } from './brokers/message-broker';
export { DeadLetterHeaders, StandardHeaders } from './brokers/standard-headers';
export { DevnullMessageBroker } from './brokers/devnull-message-broker';
export {
  InMemoryMessageBroker,
  type InMemoryListener,
  type InMemoryMessageBrokerOptions,
  type InMemoryRecord,
} from './brokers/in-memory-message-broker';

export type { EncodedValue, ValueSerializer } from './serde/value-serializer';
export type { Decoded, DeserializeContext, ValueDeserializer } from './serde/value-deserializer';
export { DeserializeError, DeserializeJsonError, isDeserializeError, type DeserializeErrorInit } from './serde/deserialize-error';
export { JsonValueSerializer, jsonValueSerializer } from './serde/json-value-serializer';
export { JsonValueDeserializer, type JsonValueDeserializerOptions } from './serde/json-value-deserializer';

export type { ConsumedMessage } from './consumer/consumed-message';
export { SKIP_MESSAGE, type MessageDecoder, type MessageHandler } from './consumer/message-handler';
export type { Subscription, SubscriptionOptions } from './consumer/subscription';
export { processDelivery, type DeliveryOutcome, type ReceivedMessage } from './consumer/process-delivery';
export { exponentialBackoff, type Backoff, type ExponentialBackoffOptions } from './consumer/backoff';
export { nextStep, retryPolicy, type RetryPolicy, type RetryPolicyOptions } from './consumer/retry-policy';
export { deadLetterHeaders, describeError, type DeadLetterSource } from './consumer/dead-letter';
export { InMemoryConsumer, type InMemoryConsumedMessage, type InMemoryConsumerOptions } from './consumer/in-memory-consumer';

export * from './outbox/index';
export * from './inbox/index';
