import { StandardHeaders } from '../brokers/standard-headers';
import type { ConsumedMessage } from '../consumer/consumed-message';
import type { MessageHandler } from '../consumer/message-handler';
import { isNotificationEvent } from '../events/notification-event';
import type { Decoded } from '../serde/value-deserializer';
import type { Inbox } from './inbox';
import { MissingMessageIdError } from './missing-message-id-error';

/** Options of `inboxHandler`. */
export interface InboxHandlerOptions<E, M extends ConsumedMessage> {
  /** The id to deduplicate by. Default: the `message_id` header, else the decoded event's `eventId`. */
  readonly messageId?: (body: Decoded<E>, msg: M) => string | undefined;
  /** Called for each redelivery that was acknowledged without running the handler. */
  readonly onDuplicate?: (messageId: string, msg: M) => void;
}

function defaultMessageId(body: unknown, msg: ConsumedMessage): string | undefined {
  const header = msg.headers[StandardHeaders.messageId];
  if (header !== undefined && header !== '') return header;
  return isNotificationEvent(body) ? body.eventId : undefined;
}

/**
 * Wraps a consumer's handler so each message is applied once [InboxProcessor]: the handler
 * runs inside `inbox.once`, in the transaction that records the message id, and a message whose
 * id is recorded already is acked without running the handler. Same `(body, msg)` signature
 * as the handler it wraps; a message without an id is refused with `MissingMessageIdError`
 * (thrown, so the consumer nacks it), since it could not be deduplicated.
 */
export function inboxHandler<E, M extends ConsumedMessage = ConsumedMessage>(
  inbox: Inbox,
  handler: MessageHandler<E, M>,
  options: InboxHandlerOptions<E, M> = {},
): MessageHandler<E, M> {
  const idOf = options.messageId ?? defaultMessageId;
  return async (body, msg) => {
    const messageId = idOf(body, msg);
    if (messageId === undefined) throw new MissingMessageIdError(msg.topic);
    const outcome = await inbox.once(messageId, async () => {
      await handler(body, msg);
    });
    if (outcome.duplicate) {
      options.onDuplicate?.(messageId, msg);
      await msg.ack();
    }
  };
}
