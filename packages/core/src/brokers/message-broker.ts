import type { Message } from './message';

/**
 * Publishes messages to a transport. `sendMessage` resolves once the transport has accepted
 * the message (for example a Kafka ack or a RabbitMQ confirm) and rejects when it could not.
 */
export interface MessageBroker {
  sendMessage(message: Message): Promise<void>;
  /** Publishes several messages at once (one produce request where the transport allows). */
  sendMessages?(messages: readonly Message[]): Promise<void>;
  /** Releases connections; further sends fail. */
  close?(): Promise<void>;
}
