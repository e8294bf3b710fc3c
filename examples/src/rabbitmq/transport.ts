// Where the RabbitMQ examples send and read: real RabbitMQ when AMQP_URL is set, otherwise
// core's in-memory broker, shared by every example in this process.
import { InMemoryMessageBroker, type ValueSerializer } from '@cqrs/core';
import type { SchemaRegistryConfig } from '@cqrs/protobuf';

/** Options every RabbitMQ example takes; the defaults come from the environment. */
export interface ExampleOptions {
  /** RabbitMQ URL; default `AMQP_URL`. Without one the examples run in memory. */
  readonly url?: string;
  /** Schema registry; default `KAFKA_SCHEMA_REGISTRY_URL`, else plain Protobuf (the type name travels in a header). */
  readonly registry?: SchemaRegistryConfig | false;
  readonly exchangeName?: string;
  readonly topic?: string;
  readonly queue?: string;
}

/** The options with their defaults filled in. */
export interface ResolvedOptions {
  readonly url: string | undefined;
  readonly registry: SchemaRegistryConfig | false;
  readonly exchangeName: string;
  readonly topic: string;
  readonly queue: string;
}

/** Fills in the defaults of `options` from the environment. */
export function resolveOptions(options: ExampleOptions = {}): ResolvedOptions {
  const registryUrl = process.env.KAFKA_SCHEMA_REGISTRY_URL;
  return {
    url: 'url' in options ? options.url : process.env.AMQP_URL,
    registry: options.registry ?? (registryUrl === undefined || registryUrl === '' ? false : { url: registryUrl }),
    exchangeName: options.exchangeName ?? 'cqrs-examples',
    topic: options.topic ?? 'user_events_proto',
    queue: options.queue ?? 'protobuf-service',
  };
}

let shared: InMemoryMessageBroker | undefined;

/** The in-memory broker producer and consumer share when there is no RabbitMQ; created with the first serializer asked for. */
export function inMemoryBroker(serializer?: ValueSerializer): InMemoryMessageBroker {
  shared ??= new InMemoryMessageBroker(serializer === undefined ? {} : { valueSerializer: serializer });
  return shared;
}
