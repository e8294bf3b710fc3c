import type { Message } from '../brokers/message';
import type { MessageBroker } from '../brokers/message-broker';
import type { Outbox } from './outbox';

/**
 * A `MessageBroker` that publishes nothing: it saves each message to an outbox, in the
 * caller's transaction. `bootstrap({ outbox })` puts one where the broker would be, so the
 * mediators keep a single publishing path.
 */
export class OutboxMessageBroker implements MessageBroker {
  constructor(readonly outbox: Outbox) {}

  sendMessage(message: Message): Promise<void> {
    return this.outbox.save([message]);
  }

  sendMessages(messages: readonly Message[]): Promise<void> {
    return this.outbox.save(messages);
  }
}
