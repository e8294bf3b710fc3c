import { CqrsError } from '../errors/cqrs-error';

/** A consumed message had no id to deduplicate by (no `message_id` header, no event id). */
export class MissingMessageIdError extends CqrsError {
  constructor(readonly topic: string) {
    super('MISSING_MESSAGE_ID', `A message on ${topic} has no message id (header 'message_id' or an event's eventId); the inbox cannot tell a redelivery from a new message`);
    this.name = 'MissingMessageIdError';
  }
}
