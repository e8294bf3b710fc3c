import type { ValueDeserializer } from '../serde/value-deserializer';
import type { ConsumedMessage } from './consumed-message';
import type { MessageDecoder, MessageHandler } from './message-handler';

/**
 * What a consumer subscribes [@broker.subscriber(...)]: the topics, how to decode their bytes,
 * an optional custom decoder, and the handler.
 */
export interface SubscriptionOptions<E, M extends ConsumedMessage = ConsumedMessage> {
  readonly topics: readonly string[];
  readonly valueDeserializer: ValueDeserializer<E>;
  readonly decoder?: MessageDecoder<E, M>;
}

/** A subscription with its handler, as consumers keep it. */
export interface Subscription<E, M extends ConsumedMessage = ConsumedMessage> extends SubscriptionOptions<E, M> {
  readonly handler: MessageHandler<E, M>;
}
