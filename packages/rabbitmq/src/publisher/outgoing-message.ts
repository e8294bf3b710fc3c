/** AMQP basic properties this package sets; headers travel as strings, like on every transport. */
export interface AMQPMessageProperties {
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType?: string;
  readonly messageId?: string;
  /** AMQP `type`: the event name. */
  readonly type?: string;
  /** Seconds since the epoch, as AMQP defines it. */
  readonly timestamp?: number;
  /** Delivery mode 2: written to disk by durable queues. */
  readonly persistent?: boolean;
  /** Per-message TTL in milliseconds, as a string (AMQP `expiration`). */
  readonly expiration?: string;
  readonly appId?: string;
  readonly correlationId?: string;
}

/** One message ready to publish: where it goes, its bytes and its properties. */
export interface AMQPOutgoingMessage {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Uint8Array;
  readonly properties: AMQPMessageProperties;
}
