// Building blocks for those who build on the RabbitMQ transport: the publish mapping and the
// queue topology. Applications import '@cqrs/rabbitmq' instead.
export { buildOutgoing, type BuildOutgoingOptions } from '../publisher/build-outgoing';
export { queueTopology, retryQueueFor, type QueueDeclaration, type QueueTopology, type QueueTopologyOptions } from '../consumer/queue-topology';
