export * from './errors/index';
export * from './requests/index';
export * from './events/index';

export type { Constructor, Container, FactoryContainer } from './container/container';
export { TsyringeContainer, isTsyringeContainer } from './container/tsyringe-container';

export { composeMiddlewares, type Middleware, type Next } from './middlewares/middleware';
export { loggingMiddleware, type LoggingMiddlewareOptions } from './middlewares/logging-middleware';

export { consoleLogger, silentLogger, type LogFields, type LogLevel, type Logger } from './logging/logger';
export { redact, redactUrl } from './logging/redact';

export { EventDispatcher, eventDispatcherDefaults, type EventDispatcherOptions } from './mediators/event-dispatcher';
export { EventHandlerRegistry, type EventHandlerFactory, type Raised } from './mediators/event-handler-registry';
export { EventMediator, eventMediatorDefaults, type EventMediatorOptions } from './mediators/event-mediator';
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
export { JsonValueSerializer, jsonValueSerializer, type JsonValueSerializerOptions } from './serde/json-value-serializer';
export { JsonValueDeserializer, type JsonValueDeserializerOptions } from './serde/json-value-deserializer';

export type { ConsumedMessage } from './consumer/consumed-message';
export type { MessageConsumer } from './consumer/message-consumer';
export type { ConsumerState } from './consumer/consumer-lifecycle';
export { consumerDefaults, type ConsumerOptions } from './consumer/consumer-options';
export { SKIP_MESSAGE, type MessageDecoder, type MessageHandler } from './consumer/message-handler';
export type { Subscription, SubscriptionOptions } from './consumer/subscription';
export type { HandlerInterceptor } from './consumer/handler-interceptor';
export { dispatchTo, dispatchDefaults, type DispatchOptions, type EventSink } from './consumer/dispatch-to';
export { exponentialBackoff, exponentialBackoffDefaults, type Backoff, type ExponentialBackoffOptions } from './consumer/backoff';
export { isRetriableByDefault, isTransientDecodeError, retryPolicy, retryPolicyDefaults, type RetryPolicy, type RetryPolicyOptions } from './consumer/retry-policy';
export { defaultDeadLetterTopic, type DeadLetterNaming } from './consumer/dead-letter-topic';
export type { SignalTarget } from './consumer/shutdown-signals';
export {
  InMemoryConsumer,
  inMemoryConsumerDefaults,
  type InMemoryConsumedMessage,
  type InMemoryConsumerOptions,
} from './consumer/in-memory-consumer';

export * from './outbox/index';
export * from './inbox/index';
