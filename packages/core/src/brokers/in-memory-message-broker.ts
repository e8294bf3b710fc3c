import { jsonValueSerializer } from '../serde/json-value-serializer';
import type { ValueSerializer } from '../serde/value-serializer';
import type { Message } from './message';
import type { MessageBroker } from './message-broker';
import { outgoingHeaders } from './outgoing-headers';

/** One record in an in-memory topic: the bytes a real transport would carry. */
export interface InMemoryRecord {
  readonly topic: string;
  readonly key: string | undefined;
  readonly value: Uint8Array | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Position in its topic, from 0. */
  readonly offset: number;
}

/** Called for each record appended to a subscribed topic. */
export type InMemoryListener = (record: InMemoryRecord) => void;

/** Options of `InMemoryMessageBroker`. */
export interface InMemoryMessageBrokerOptions {
  /** How payloads become bytes, as on every broker. @default jsonValueSerializer (`ProtobufValueSerializer` for Protobuf) */
  readonly valueSerializer?: ValueSerializer;
}

/**
 * The embedded default broker: serializes each message like a real transport would and appends
 * it to an in-process topic log that `InMemoryConsumer` (or any listener) reads. Lets examples
 * and tests run the whole produce-consume path with no server.
 */
export class InMemoryMessageBroker implements MessageBroker {
  readonly #serializer: ValueSerializer;
  readonly #topics = new Map<string, InMemoryRecord[]>();
  readonly #listeners = new Map<string, Set<InMemoryListener>>();
  readonly #positions = new Map<string, number>();

  constructor(options: InMemoryMessageBrokerOptions = {}) {
    this.#serializer = options.valueSerializer ?? jsonValueSerializer;
  }

  async sendMessage(message: Message): Promise<void> {
    const encoded = await this.#serializer.serialize(message);
    this.append(message.topic, {
      key: message.key,
      value: encoded.value,
      headers: outgoingHeaders(message, encoded.headers),
    });
  }

  async sendMessages(messages: readonly Message[]): Promise<void> {
    for (const message of messages) await this.sendMessage(message);
  }

  /** Appends raw bytes to a topic, as a producer of any format would (also for poison tests). */
  append(topic: string, record: { readonly key?: string | undefined; readonly value: Uint8Array | null; readonly headers?: Readonly<Record<string, string>> }): InMemoryRecord {
    const log = this.#topics.get(topic) ?? [];
    this.#topics.set(topic, log);
    const stored: InMemoryRecord = Object.freeze({ topic, key: record.key, value: record.value, headers: record.headers ?? {}, offset: log.length });
    log.push(stored);
    for (const listener of this.#listeners.get(topic) ?? []) listener(stored);
    return stored;
  }

  /** Every record of `topic` so far. */
  records(topic: string): readonly InMemoryRecord[] {
    return this.#topics.get(topic) ?? [];
  }

  /** The next offset consumer group `group` reads in `topic`, if it committed one [committed offset]. */
  committed(group: string, topic: string): number | undefined {
    return this.#positions.get(`${group}\u0000${topic}`);
  }

  /** Records that consumer group `group` is done with `topic` up to `position` (exclusive). */
  commit(group: string, topic: string, position: number): void {
    this.#positions.set(`${group}\u0000${topic}`, position);
  }

  /** Calls `listener` for each new record of `topic`; returns the unsubscribe function. */
  subscribe(topic: string, listener: InMemoryListener): () => void {
    const listeners = this.#listeners.get(topic) ?? new Set<InMemoryListener>();
    this.#listeners.set(topic, listeners);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
}
