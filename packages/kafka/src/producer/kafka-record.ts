import type { IHeaders, Message as KafkaJsMessage, TopicMessages } from 'kafkajs';

/** Header values as Kafka carries them: strings or raw bytes, several per name allowed. */
export type KafkaHeaders = IHeaders;

/** One record to produce, already in bytes: what `KafkaProducerAdapter.send` takes. */
export interface KafkaRecord {
  readonly topic: string;
  /** Partition key; the same key always lands on the same partition, in order. */
  readonly key?: string | Uint8Array | null;
  /** `null` produces a tombstone. */
  readonly value: Uint8Array | null;
  readonly headers?: KafkaHeaders;
  /** Forces a partition instead of hashing the key. */
  readonly partition?: number;
}

/** A Buffer view of the same memory: no copy for the bytes a serializer made. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The record as kafkajs takes it. A record whose value is a `Buffer` (what the serializers
 * write) already is one: kafkajs reads `key`, `value`, `headers` and `partition` and ignores
 * `topic`, so it goes as it is, without a copy per record.
 */
function toKafkaJsMessage(record: KafkaRecord): KafkaJsMessage {
  const value = record.value;
  const key = record.key;
  if ((value === null || Buffer.isBuffer(value)) && (key === undefined || key === null || typeof key === 'string' || Buffer.isBuffer(key))) return record as KafkaJsMessage;
  const message: KafkaJsMessage = { value: value === null ? null : asBuffer(value) };
  if (key !== undefined) message.key = key === null || typeof key === 'string' ? key : asBuffer(key);
  if (record.headers !== undefined) message.headers = record.headers;
  if (record.partition !== undefined) message.partition = record.partition;
  return message;
}

/** Groups records by topic, keeping their order within each topic, for one `sendBatch` request. */
export function toTopicMessages(records: readonly KafkaRecord[]): TopicMessages[] {
  const first = records[0];
  if (first === undefined) return [];
  const topic = first.topic;
  const messages = new Array<KafkaJsMessage>(records.length);
  for (let i = 0; i < records.length; i += 1) {
    const record = records[i] as KafkaRecord;
    // Another topic in the batch: group them all (rare; a batch is usually one topic's).
    if (record.topic !== topic) return groupByTopic(records);
    messages[i] = toKafkaJsMessage(record);
  }
  return [{ topic, messages }];
}

function groupByTopic(records: readonly KafkaRecord[]): TopicMessages[] {
  const byTopic = new Map<string, KafkaJsMessage[]>();
  for (const record of records) {
    const messages = byTopic.get(record.topic);
    if (messages === undefined) byTopic.set(record.topic, [toKafkaJsMessage(record)]);
    else messages.push(toKafkaJsMessage(record));
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
