export {
  KafkaAuthenticationError,
  KafkaClosedError,
  KafkaConfigError,
  KafkaConnectionError,
  KafkaConsumerCrashedError,
  KafkaMissingTopicError,
  KafkaError,
  KafkaPublishError,
  isKafkaError,
} from './errors';

export type { KafkaConnectionOptions, KafkaConnectionRetryOptions, SaslMechanism, SecurityProtocol } from './connection/connection-options';
export { kafkaConnectionRetryDefaults } from './connection/kafka-config';

export { kafkaProducerDefaults, type KafkaCompression, type KafkaProducerOptions } from './producer/producer-options';
export type { KafkaHeaders, KafkaRecord } from './producer/kafka-record';
export { KafkaProducerAdapter, type CreateKafkaProducer, type ProducerLike } from './producer/kafka-producer-adapter';

export { KafkaMessageBroker, type KafkaMessageBrokerOptions } from './broker/kafka-message-broker';

export type { KafkaConsumedMessage } from './consumer/kafka-consumed-message';
export { kafkaConsumerDefaults, type KafkaConsumerOptions, type KafkaTopicSettings } from './consumer/kafka-consumer-options';
export { KafkaConsumer, type ConsumerLike, type CreateKafkaConsumer } from './consumer/kafka-consumer';
