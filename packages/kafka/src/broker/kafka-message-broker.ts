import { StandardHeaders, type Message, type MessageBroker } from '@cqrs/core';
import type { KafkaProducerAdapter } from '../producer/kafka-producer-adapter';
import type { KafkaRecord } from '../producer/kafka-record';

/** Options of `KafkaMessageBroker`. */
export interface KafkaMessageBrokerOptions {
  readonly producer: KafkaProducerAdapter;
  /**
   * The partition key of a message; one key keeps its order. Default `message.key`, which
   * `messageFromEvent` takes from the event's `key` (an aggregate id). `undefined` spreads
   * keyless messages over the partitions.
   */
  readonly key?: (message: Message) => string | undefined;
}

const messageKey = (message: Message): string | undefined => message.key;

/**
 * Publishes messages to Kafka [KafkaMessageBroker]: serializes each payload with the
 * producer's value serializer, keys it, and adds the message name and id (`StandardHeaders`)
 * to the serializer's headers. `sendMessages` sends a whole batch in one produce request.
 */
export class KafkaMessageBroker implements MessageBroker {
  readonly #producer: KafkaProducerAdapter;
  readonly #key: (message: Message) => string | undefined;

  constructor(options: KafkaMessageBrokerOptions) {
    this.#producer = options.producer;
    this.#key = options.key ?? messageKey;
  }

  async sendMessage(message: Message): Promise<void> {
    await this.#producer.send([await this.#record(message)]);
  }

  async sendMessages(messages: readonly Message[]): Promise<void> {
    if (messages.length === 0) return;
    const records = await Promise.all(messages.map((message) => this.#record(message)));
    await this.#producer.send(records);
  }

  /** Closes the producer. */
  async close(): Promise<void> {
    await this.#producer.close();
  }

  async #record(message: Message): Promise<KafkaRecord> {
    const encoded = await this.#producer.valueSerializer.serialize(message);
    const key = this.#key(message);
    return {
      topic: message.topic,
      value: encoded.value,
      headers: {
        ...encoded.headers,
        ...message.headers,
        [StandardHeaders.messageName]: message.messageName,
        [StandardHeaders.messageId]: message.messageId,
      },
      ...(key === undefined ? {} : { key }),
    };
  }
}
