/** Header names this transport adds besides core's `StandardHeaders` and `DeadLetterHeaders`. */
export const AMQPHeaders = {
  /** The message's key (core `Message.key`); AMQP has no key of its own. */
  key: 'message_key',
  /** Delivery attempt of a retried copy: 2 on the first retry, then 3, ... */
  attempt: 'x-cqrs-attempt',
  /** Routing key the message was first published with; retry queues route by queue name instead. */
  routingKey: 'x-cqrs-routing-key',
  /** Exchange the message was first published to. */
  exchange: 'x-cqrs-exchange',
  /** Queue a dead-lettered message was consumed from. */
  sourceQueue: 'x-dead-letter-source-queue',
  /** Per-channel sequence of a publish, so a `basic.return` finds its publish even when message ids repeat. */
  publishSeq: 'x-cqrs-publish-seq',
} as const;
