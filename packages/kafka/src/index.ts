export {
  KafkaAuthenticationError,
  KafkaClosedError,
  KafkaConfigError,
  KafkaConnectionError,
  KafkaConsumerCrashedError,
  KafkaError,
  KafkaPublishError,
  KafkaSubscriptionError,
} from './errors';

export type { KafkaConnectionOptions, KafkaRetryOptions, SaslMechanism, SecurityProtocol } from './connection/connection-options';
export { parseBootstrapServers, toKafkaConfig } from './connection/kafka-config';
export { kafkaLogCreator } from './connection/log-creator';
export { classifyKafkaError } from './connection/classify-error';
export { scrubText, scrubValue } from './connection/scrub';

export type { KafkaCompression, KafkaProducerOptions } from './producer/producer-options';
export type { KafkaHeaders, KafkaRecord } from './producer/kafka-record';
export { KafkaProducerAdapter, type CreateKafkaProducer, type ProducerLike } from './producer/kafka-producer-adapter';

export { KafkaMessageBroker, type KafkaMessageBrokerOptions } from './broker/kafka-message-broker';

export type { KafkaConsumedMessage } from './consumer/kafka-consumed-message';
export type { KafkaConsumerOptions } from './consumer/kafka-consumer-options';
export { KafkaConsumer, type ConsumerLike, type CreateKafkaConsumer } from './consumer/kafka-consumer';
export { PartitionOffsetTracker } from './consumer/offset-tracker';
export { processBatch, type BatchContext, type BatchPayload, type DeadLetter } from './consumer/process-batch';
