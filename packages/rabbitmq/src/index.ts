export {
  AMQPAuthenticationError,
  AMQPClosedError,
  AMQPConnectionError,
  AMQPError,
  AMQPPublishNackedError,
  AMQPPublishTimeoutError,
  AMQPTopologyError,
  isAMQPError,
} from './errors';
export { AMQPHeaders } from './amqp-headers';
export type { AMQPConnect, AMQPSocketOptions } from './connection/amqp-connect';

export { AMQPPublisherAdapter, type AMQPPublisherOptions } from './publisher/amqp-publisher-adapter';
export { AMQPMessageBroker, type AMQPMessageBrokerOptions } from './publisher/amqp-message-broker';
export { buildOutgoing, type BuildOutgoingOptions } from './publisher/build-outgoing';
export type { AMQPMessageProperties, AMQPOutgoingMessage } from './publisher/outgoing-message';

export { AMQPConsumer, type AMQPConsumerOptions, type AMQPSubscriptionOptions } from './consumer/amqp-consumer';
export type { AMQPConsumedMessage } from './consumer/amqp-consumed-message';
export {
  deadLetterQueueName,
  queueTopology,
  retryQueueName,
  type QueueArguments,
  type QueueDeclaration,
  type QueueTopology,
  type QueueTopologyOptions,
} from './consumer/queue-topology';
