import type { ConsumedMessage } from '@cqrs/core';

/**
 * A message from a RabbitMQ queue [RabbitMessage]. `topic` is the routing key it was first
 * published with (also after retries), `attempt` counts deliveries through the retry queues.
 */
export interface AMQPConsumedMessage extends ConsumedMessage {
  /** The queue it was consumed from. */
  readonly queue: string;
  /** The exchange it was first published to. */
  readonly exchange: string;
  /** The channel-scoped tag RabbitMQ acks refer to. */
  readonly deliveryTag: number;
  /** True when RabbitMQ delivered it before without an ack (a consumer or connection died). */
  readonly redelivered: boolean;
  readonly messageId: string | undefined;
  readonly contentType: string | undefined;
}
