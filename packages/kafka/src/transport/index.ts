// Building blocks for those who build on the Kafka transport (another client, a relay):
// applications import '@cqrs/kafka' instead.
export { parseBootstrapServers, toKafkaConfig } from '../connection/kafka-config';
export { classifyKafkaError } from '../connection/classify-error';
export { scrubText } from '../connection/scrub';
export { scrubValue } from '../connection/scrub';
export { kafkaLogCreator } from '../connection/log-creator';
// The batch loop KafkaConsumer runs for each fetched batch, for instrumentation and benchmarks.
export { processBatch, type BatchContext, type BatchPayload, type DeadLetter } from '../consumer/process-batch';
export { PartitionOffsetTracker } from '../consumer/offset-tracker';
