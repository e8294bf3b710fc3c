export {
  AMQPAuthenticationError,
  AMQPClosedError,
  AMQPConfigError,
  AMQPConnectionError,
  AMQPError,
  AMQPPublishNackedError,
  AMQPPublishTimeoutError,
  AMQPTopologyError,
  AMQPUnroutableError,
  isAMQPError,
} from './errors';
export { AMQPHeaders } from './amqp-headers';
export type { AMQPConnect, AMQPSocketOptions } from './connection/amqp-connect';
export { amqpConnectionRetryDefaults, type AMQPConnectionOptions } from './connection/connection-options';

export {
  AMQPPublisherAdapter,
  amqpPublisherDefaults,
  type AMQPExchangeOptions,
  type AMQPExchangeType,
  type AMQPPublisherOptions,
} from './publisher/amqp-publisher-adapter';
export { AMQPMessageBroker, type AMQPMessageBrokerOptions } from './publisher/amqp-message-broker';
export type { AMQPMessageProperties, AMQPOutgoingMessage } from './publisher/outgoing-message';

export { AMQPConsumer, amqpConsumerDefaults, type AMQPConsumerOptions, type AMQPSubscriptionOptions } from './consumer/amqp-consumer';
export type { AMQPConsumedMessage } from './consumer/amqp-consumed-message';
export { deadLetterQueueName, retryQueueName, type QueueArguments } from './consumer/queue-topology';
