import { jsonValueSerializer, type Message, type MessageBroker, type ValueSerializer } from '@cqrs/core';
import { AMQPConfigError } from '../errors';
import type { AMQPPublisherAdapter } from './amqp-publisher-adapter';
import { buildOutgoing } from './build-outgoing';
import type { AMQPOutgoingMessage } from './outgoing-message';
import { settledWithin } from '../connection/settled-within';

/** Options of `AMQPMessageBroker`. */
export interface AMQPMessageBrokerOptions {
  readonly publisher: AMQPPublisherAdapter;
  /** The topic exchange events are published to; each event's topic is its routing key. */
  readonly exchangeName: string;
  /** How payloads become bytes. @default jsonValueSerializer (`ProtobufValueSerializer` for Protobuf) */
  readonly valueSerializer?: ValueSerializer;
  /** Declare the exchange (durable, topic) before the first publish; false: it must exist. @default true */
  readonly declareExchange?: boolean;
  /**
   * An alternate exchange for events no queue is bound for: declared (durable, topic) and set
   * as the exchange's `alternate-exchange` argument, so such events go there and the send
   * resolves. Without it such a send fails with `AMQPUnroutableError`. Needs `declareExchange`
   * (for an exchange declared elsewhere, set the alternate exchange by policy). Consumers of the
   * exchange that declare it must pass the same `alternateExchange`.
   */
  readonly alternateExchange?: string;
}

/**
 * Publishes notification events to a RabbitMQ topic exchange [AMQPMessageBroker]: the event's
 * topic is the routing key, messages are persistent and carry the event name, id and content
 * type, and a send resolves only once the broker confirmed it; one no queue is bound for fails
 * with `AMQPUnroutableError` unless `alternateExchange` takes it. `close()` closes the publisher.
 */
export class AMQPMessageBroker implements MessageBroker {
  readonly #publisher: AMQPPublisherAdapter;
  readonly #exchange: string;
  readonly #serializer: ValueSerializer;
  readonly #declare: boolean;
  readonly #alternate: string | undefined;
  #declared: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: AMQPMessageBrokerOptions) {
    this.#publisher = options.publisher;
    this.#exchange = options.exchangeName;
    this.#serializer = options.valueSerializer ?? jsonValueSerializer;
    this.#declare = options.declareExchange ?? true;
    this.#alternate = options.alternateExchange;
    if (this.#alternate !== undefined && !this.#declare) {
      throw new AMQPConfigError(`alternateExchange '${this.#alternate}' needs declareExchange: an exchange declared elsewhere gets its alternate exchange by policy`);
    }
  }

  sendMessage(message: Message): Promise<void> {
    return this.#track(async () => {
      const [outgoing] = await Promise.all([this.#encode(message), this.#ready()]);
      await this.#publisher.publish(outgoing);
    });
  }

  sendMessages(messages: readonly Message[]): Promise<void> {
    return this.#track(async () => {
      if (messages.length === 0) return;
      const [outgoing] = await Promise.all([Promise.all(messages.map((message) => this.#encode(message))), this.#ready()]);
      await this.#publisher.publishMany(outgoing);
    });
  }

  /**
   * Waits for sends in flight (up to the publisher's `closeTimeoutMs`: they may still be
   * encoding), then closes the publisher, which bounds the rest: `close()` resolves within three
   * times `closeTimeoutMs` even while RabbitMQ is unreachable, and sends that could not finish
   * fail with `AMQPClosedError`. Share a publisher between brokers only if you close it yourself.
   */
  async close(): Promise<void> {
    await settledWithin(this.#inFlight, this.#publisher.closeTimeoutMs);
    await this.#publisher.close();
  }

  #track(send: () => Promise<void>): Promise<void> {
    const work = send();
    this.#inFlight.add(work);
    void work.catch(() => undefined).finally(() => this.#inFlight.delete(work));
    return work;
  }

  async #encode(message: Message): Promise<AMQPOutgoingMessage> {
    const serializer = this.#serializer;
    const encoded = await serializer.serialize(message);
    return buildOutgoing(message, encoded, {
      exchange: this.#exchange,
      contentType: serializer.contentType,
      ...(this.#publisher.appId === undefined ? {} : { appId: this.#publisher.appId }),
    });
  }

  #ready(): Promise<void> {
    if (!this.#declare) return Promise.resolve();
    this.#declared ??= this.#declareAll().catch((error: unknown) => {
      this.#declared = undefined;
      throw error;
    });
    return this.#declared;
  }

  async #declareAll(): Promise<void> {
    const alternate = this.#alternate;
    if (alternate === undefined) return this.#publisher.assertExchange(this.#exchange, 'topic');
    // Topic, so the routing key survives: a consumer of it binds '#' or the keys it wants.
    await this.#publisher.assertExchange(alternate, 'topic');
    await this.#publisher.assertExchange(this.#exchange, 'topic', { alternateExchange: alternate });
  }
}
