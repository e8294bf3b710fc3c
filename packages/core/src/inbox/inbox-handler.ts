import { StandardHeaders } from '../brokers/standard-headers';
import type { ConsumedMessage } from '../consumer/consumed-message';
import type { HandlerInterceptor } from '../consumer/handler-interceptor';
import type { MessageHandler } from '../consumer/message-handler';
import { isNotificationEvent } from '../events/notification-event';
import { isDeserializeError } from '../serde/deserialize-error';
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

/** Thrown inside the inbox's work when the handler nacked: the id must not commit with it. */
class HandlerNacked extends Error {}

/**
 * The inbox as a consumer interceptor [InboxProcessor] (what the consumers' `inbox` option
 * installs): the rest of the chain runs inside `inbox.once`, in the transaction that records
 * the message id; a message whose id is recorded already is acked without running it. A
 * handler that nacks rolls the record back, so the retry runs it again. Bytes that did not
 * decode pass through unrecorded (they go to the dead letter); a message without an id is
 * refused with `MissingMessageIdError` (thrown, so the consumer nacks it).
 */
export function inboxInterceptor(inbox: Inbox, options: InboxHandlerOptions<unknown, ConsumedMessage> = {}): HandlerInterceptor {
  const idOf = options.messageId ?? defaultMessageId;
  return async (body, msg, next) => {
    if (isDeserializeError(body)) return next();
    const messageId = idOf(body, msg);
    if (messageId === undefined) throw new MissingMessageIdError(msg.topic);
    let nacked = false;
    const watched: ConsumedMessage = {
      ...msg,
      nack: async (error?: unknown) => {
        nacked = true;
        await msg.nack(error);
      },
    };
    try {
      const outcome = await inbox.once(messageId, async () => {
        await next(watched);
        if (nacked) throw new HandlerNacked('the handler nacked: the message id is not recorded');
      });
      if (outcome.duplicate) {
        options.onDuplicate?.(messageId, msg);
        await msg.ack();
      }
    } catch (error) {
      if (!(error instanceof HandlerNacked)) throw error;
    }
  };
}

/**
 * Wraps one handler so each message is applied once [InboxProcessor]; the same as the
 * consumers' `inbox` option, for a handler of its own. Same `(body, msg)` signature as the
 * handler it wraps.
 */
export function inboxHandler<E, M extends ConsumedMessage = ConsumedMessage>(
  inbox: Inbox,
  handler: MessageHandler<E, M>,
  options: InboxHandlerOptions<E, M> = {},
): MessageHandler<E, M> {
  const interceptor = inboxInterceptor(inbox, options as InboxHandlerOptions<unknown, ConsumedMessage>);
  return (body, msg) => interceptor(body, msg, async (replaced) => void (await handler(body, (replaced as M | undefined) ?? msg)));
}
