import { jsonValueSerializer, type EncodedValue, type Message, type MessageBroker, type ValueSerializer } from '@cqrs/core';
import { isPromise, outgoingHeaders } from '@cqrs/core/transport';
import type { KafkaProducerAdapter } from '../producer/kafka-producer-adapter';
import type { KafkaRecord } from '../producer/kafka-record';

/** Options of `KafkaMessageBroker`. */
export interface KafkaMessageBrokerOptions {
  readonly producer: KafkaProducerAdapter;
  /** How message payloads become bytes [value_serializer]. @default jsonValueSerializer (`protobufValueSerializer` for Protobuf) */
  readonly valueSerializer?: ValueSerializer;
  /**
   * The partition key of a message; one key keeps its order. Default `message.key`, which
   * `messageFromEvent` takes from the event's `key` (an aggregate id). `undefined` spreads
   * keyless messages over the partitions.
   */
  readonly key?: (message: Message) => string | undefined;
}

const messageKey = (message: Message): string | undefined => message.key;

/**
 * Publishes messages to Kafka [KafkaMessageBroker]: serializes each payload with its value
 * serializer, keys it, and merges the headers by core's `outgoingHeaders` rule (the message
 * name and id win). `sendMessages` sends a whole batch in one produce request.
 */
export class KafkaMessageBroker implements MessageBroker {
  readonly #producer: KafkaProducerAdapter;
  readonly #serializer: ValueSerializer;
  readonly #key: (message: Message) => string | undefined;

  constructor(options: KafkaMessageBrokerOptions) {
    this.#producer = options.producer;
    this.#serializer = options.valueSerializer ?? jsonValueSerializer;
    this.#key = options.key ?? messageKey;
  }

  async sendMessage(message: Message): Promise<void> {
    const encoded = this.#serializer.serialize(message);
    await this.#producer.send([this.#record(message, isPromise(encoded) ? await encoded : encoded)]);
  }

  async sendMessages(messages: readonly Message[]): Promise<void> {
    if (messages.length === 0) return;
    const records: KafkaRecord[] = new Array<KafkaRecord>(messages.length);
    for (let i = 0; i < messages.length; i += 1) {
      const message = messages[i] as Message;
      // Serializers answer synchronously once warm (schema id cached): no promise per message then.
      const encoded = this.#serializer.serialize(message);
      records[i] = this.#record(message, isPromise(encoded) ? await encoded : encoded);
    }
    await this.#producer.send(records);
  }

  /** Closes the producer. */
  async close(): Promise<void> {
    await this.#producer.close();
  }

  #record(message: Message, encoded: EncodedValue): KafkaRecord {
    const headers = outgoingHeaders(message, encoded.headers);
    const key = this.#key(message);
    return key === undefined ? { topic: message.topic, value: encoded.value, headers } : { topic: message.topic, key, value: encoded.value, headers };
  }
}
