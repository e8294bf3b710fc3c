import type { Message } from './message';
import type { MessageBroker } from './message-broker';

/** Accepts every message and keeps nothing: for tests and benchmarks of the sending side. */
export class DevnullMessageBroker implements MessageBroker {
  async sendMessage(_message: Message): Promise<void> {}

  async sendMessages(_messages: readonly Message[]): Promise<void> {}
}
