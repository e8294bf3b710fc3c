import { CompressionTypes, Kafka, Partitioners, type KafkaConfig, type Producer, type ProducerConfig, type RecordMetadata } from 'kafkajs';
import { classifyKafkaError } from '../connection/classify-error';
import { kafkaRetry, secretsOf, toKafkaConfig } from '../connection/kafka-config';
import { KafkaClosedError, KafkaConfigError } from '../errors';
import { toTopicMessages, type KafkaRecord } from './kafka-record';
import { kafkaProducerDefaults, type KafkaCompression, type KafkaProducerOptions } from './producer-options';

/** The part of a kafkajs producer the adapter uses. */
export type ProducerLike = Pick<Producer, 'connect' | 'disconnect' | 'sendBatch'>;

/** Builds the kafkajs client; replaceable for tests and instrumentation. */
export type CreateKafkaProducer = (config: KafkaConfig, producerConfig: ProducerConfig) => ProducerLike;

const COMPRESSION: Readonly<Record<KafkaCompression, CompressionTypes>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

const defaultCreate: CreateKafkaProducer = (config, producerConfig) => new Kafka(config).producer(producerConfig);

function acksOf(acks: KafkaProducerOptions['acks']): -1 | 0 | 1 {
  if (acks === undefined || acks === kafkaProducerDefaults.acks || acks === -1) return -1;
  if (acks === 0 || acks === 1) return acks;
  throw new KafkaConfigError(`acks must be 'all', -1, 0 or 1, got ${String(acks)}`);
}

/**
 * A kafkajs producer with the reference's options [KafkaProducerAdapter]: connection and
 * security, acks, idempotence, compression and connection retries. It sends bytes; the
 * broker owns the value serializer. Connects on the
 * first send (and again after a failed connect), sends each call as one produce request, and
 * turns failures into typed errors without secrets.
 *
 * ```ts
 * const producer = new KafkaProducerAdapter({ bootstrapServers: 'localhost:9092' });
 * const broker = new KafkaMessageBroker({ producer, valueSerializer: protobufValueSerializer });
 * ```
 */
export class KafkaProducerAdapter {
  readonly #producer: ProducerLike;
  readonly #brokers: readonly string[];
  readonly #secrets: readonly string[];
  readonly #acks: -1 | 0 | 1;
  readonly #compression: CompressionTypes;
  readonly #timeout: number | undefined;
  #connecting: Promise<void> | undefined;
  #closed = false;

  constructor(options: KafkaProducerOptions, create: CreateKafkaProducer = defaultCreate) {
    const config = toKafkaConfig(options);
    this.#brokers = config.brokers as string[];
    this.#secrets = secretsOf(options);
    this.#acks = acksOf(options.acks);
    const idempotent = options.idempotent ?? kafkaProducerDefaults.idempotent;
    if (idempotent && this.#acks !== -1) throw new KafkaConfigError(`idempotent needs acks 'all', got ${String(options.acks)}`);
    const compression = options.compression ?? kafkaProducerDefaults.compression;
    if (COMPRESSION[compression] === undefined) throw new KafkaConfigError(`compression must be one of ${Object.keys(COMPRESSION).join(', ')}, got ${String(compression)}`);
    this.#compression = COMPRESSION[compression];
    this.#timeout = options.ackTimeoutMs;
    // kafkajs retries an idempotent producer's sends forever unless told otherwise; connects still give up.
    const retry =
      idempotent && options.connectionRetry?.retries === undefined ? { ...kafkaRetry(options.connectionRetry), retries: Number.MAX_SAFE_INTEGER } : kafkaRetry(options.connectionRetry);
    const maxInFlightRequests = options.maxInFlightRequests ?? (idempotent ? 1 : undefined);
    this.#producer = create(config, {
      createPartitioner: Partitioners.DefaultPartitioner,
      retry,
      idempotent,
      allowAutoTopicCreation: options.allowAutoTopicCreation ?? kafkaProducerDefaults.allowAutoTopicCreation,
      ...(maxInFlightRequests === undefined ? {} : { maxInFlightRequests }),
    });
  }

  /** Connects now instead of on the first send; safe to call more than once. */
  async connect(): Promise<void> {
    if (this.#closed) throw new KafkaClosedError('The Kafka producer is closed');
    this.#connecting ??= this.#producer.connect().catch((error: unknown) => {
      // Forget the failed attempt so the next send connects again.
      this.#connecting = undefined;
      throw classifyKafkaError(error, { action: 'Connecting the Kafka producer', brokers: this.#brokers, secrets: this.#secrets });
    });
    await this.#connecting;
  }

  /**
   * Produces `records` in one request (grouped by topic, order kept within each topic) and
   * resolves once the brokers acknowledged them per `acks`.
   */
  async send(records: readonly KafkaRecord[]): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    await this.connect();
    try {
      return await this.#producer.sendBatch({
        topicMessages: toTopicMessages(records),
        acks: this.#acks,
        compression: this.#compression,
        ...(this.#timeout === undefined ? {} : { timeout: this.#timeout }),
      });
    } catch (error) {
      const topics = [...new Set(records.map((record) => record.topic))].join(', ');
      throw classifyKafkaError(error, { action: `Publishing ${records.length} record(s) to ${topics}`, brokers: this.#brokers, secrets: this.#secrets });
    }
  }

  /** Flushes nothing further and disconnects; later sends throw `KafkaClosedError`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const connecting = this.#connecting;
    this.#connecting = undefined;
    if (connecting === undefined) return;
    try {
      await connecting;
    } catch {
      return;
    }
    await this.#producer.disconnect();
  }
}
