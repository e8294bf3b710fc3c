import type { Message, MessageHeaders } from '../brokers/message';

/** Bytes ready for a transport, plus the headers the format needs (content type, schema). */
export interface EncodedValue {
  readonly value: Uint8Array;
  readonly headers?: MessageHeaders;
}

/** Turns a message's payload into bytes [value_serializer]. */
export interface ValueSerializer {
  /** MIME type of the bytes, for transports that carry one (AMQP `content_type`). */
  readonly contentType: string;
  serialize(message: Message): EncodedValue | Promise<EncodedValue>;
}
