// What every Kafka example reads from its options or the environment. With KAFKA_BROKERS set
// the examples use real Kafka and the schema registry of KAFKA_SCHEMA_REGISTRY_URL; without
// it they use core's in-memory broker and @cqrs/protobuf's in-memory registry.
import { InMemoryMessageBroker, type ValueSerializer } from '@cqrs/core';
import { ProtobufValueSerializer, protobufValueSerializer, type SchemaRegistryConfig } from '@cqrs/protobuf';

/** Options every Kafka example takes; the defaults come from the environment. */
export interface KafkaExampleOptions {
  /** Kafka `host:port` list; default `KAFKA_BROKERS`. `undefined` (or unset) runs in memory. */
  readonly brokers?: string | undefined;
  /** Default `user_events_proto`, the reference's topic. */
  readonly topic?: string;
  /** Consumer group; each consumer example has its own default. */
  readonly groupId?: string;
  /** Consumers only: stop after this many events instead of at SIGTERM / Ctrl-C. */
  readonly stopAfter?: number;
}

/** The options with their defaults filled in. */
export interface ExampleSettings {
  readonly brokers: string | undefined;
  readonly topic: string;
  readonly groupId: string | undefined;
  readonly stopAfter: number | undefined;
}

/** The registry the in-memory runs share (a `mem://` URL names one instance per process). */
export const IN_MEMORY_REGISTRY: SchemaRegistryConfig = { url: 'mem://kafka-examples' };

/** Fills in the defaults of `options` from the environment. */
export function settingsOf(options: KafkaExampleOptions = {}): ExampleSettings {
  const fromEnv = process.env.KAFKA_BROKERS;
  const brokers = 'brokers' in options ? options.brokers : fromEnv === '' ? undefined : fromEnv;
  if (brokers !== undefined) {
    // Set schema registry URL [os.environ["KAFKA_SCHEMA_REGISTRY_URL"] = ...]; a value already there wins.
    process.env.KAFKA_SCHEMA_REGISTRY_URL ||= 'http://localhost:8085';
  }
  return { brokers, topic: options.topic ?? 'user_events_proto', groupId: options.groupId, stopAfter: options.stopAfter };
}

/** The registry of a run: the environment's for Kafka (by leaving it unset), the in-memory one otherwise. */
export function registryOf(settings: ExampleSettings): SchemaRegistryConfig | undefined {
  return settings.brokers === undefined ? IN_MEMORY_REGISTRY : undefined;
}

const inMemorySerializer = new ProtobufValueSerializer({ registry: IN_MEMORY_REGISTRY });

/** The Protobuf serializer of a run: the reference's `protobufValueSerializer` on Kafka. */
export function serializerOf(settings: ExampleSettings): ValueSerializer {
  return settings.brokers === undefined ? inMemorySerializer : protobufValueSerializer;
}

let shared: InMemoryMessageBroker | undefined;

/** The in-memory broker the producers and consumers of this process share. */
export function inMemoryBroker(): InMemoryMessageBroker {
  shared ??= new InMemoryMessageBroker({ valueSerializer: inMemorySerializer });
  return shared;
}
