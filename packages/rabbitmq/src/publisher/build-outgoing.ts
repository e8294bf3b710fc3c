import { StandardHeaders, type EncodedValue, type Message } from '@cqrs/core';
import { outgoingHeaders } from '@cqrs/core/transport';
import { AMQPHeaders } from '../amqp-headers';
import type { AMQPOutgoingMessage } from './outgoing-message';

/** What `buildOutgoing` needs besides the message and its bytes. */
export interface BuildOutgoingOptions {
  readonly exchange: string;
  readonly contentType: string;
  readonly appId?: string;
  /** Injectable clock, in milliseconds. */
  readonly now?: () => number;
}

/**
 * Maps a core `Message` and its encoded bytes to an AMQP publish: routing key from the topic,
 * persistent, `messageId`, `type` = event name, content type, and headers with the format's
 * own headers (schema information), the caller's headers, the event name, id and key.
 */
export function buildOutgoing(message: Message, encoded: EncodedValue, options: BuildOutgoingOptions): AMQPOutgoingMessage {
  // Core's merge rule, with the serializer's content type as the transport's default.
  const headers = outgoingHeaders(message, encoded.headers, { [StandardHeaders.contentType]: options.contentType });
  if (message.key !== undefined) headers[AMQPHeaders.key] = message.key;
  return {
    exchange: options.exchange,
    routingKey: message.topic,
    content: encoded.value,
    properties: {
      headers,
      contentType: headers[StandardHeaders.contentType] ?? options.contentType,
      messageId: message.messageId,
      type: message.messageName,
      timestamp: Math.floor((options.now ?? Date.now)() / 1000),
      persistent: true,
      ...(options.appId === undefined ? {} : { appId: options.appId }),
    },
  };
}
