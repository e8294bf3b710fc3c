import { NotificationEvent } from './notification-event';

/**
 * Event-carried state transfer: a notification event whose payload is the entity's full new
 * state, so consumers need not call back [ECSTEvent]. Goes to the message broker.
 */
export class ECSTEvent<P = unknown> extends NotificationEvent<P> {
  override get eventType(): string {
    return 'ecst_event';
  }
}
