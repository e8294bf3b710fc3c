import type { Inbox } from '../inbox/inbox';
import type { Logger } from '../logging/logger';
import type { DeadLetterNaming } from './dead-letter-topic';
import type { HandlerInterceptor } from './handler-interceptor';
import type { RetryPolicy } from './retry-policy';
import type { SignalTarget } from './shutdown-signals';

/** Options every consumer takes, with the same names and defaults on every transport. */
export interface ConsumerOptions {
  /** How nacked messages are retried before dead-lettering. @default retryPolicy() (3 attempts, exponential backoff from 100 ms) */
  readonly retry?: RetryPolicy;
  /** Dead-letter topic (or queue) of a source topic (or queue). @default defaultDeadLetterTopic (`<source>.dlq`) */
  readonly deadLetterTopic?: DeadLetterNaming;
  /** Stop gracefully on SIGTERM and SIGINT, then re-raise the signal if nobody else handles it. @default false */
  readonly handleSignals?: boolean;
  /** Wrap every handler call, first outermost (inside the inbox, when there is one). @default [] */
  readonly interceptors?: readonly HandlerInterceptor[];
  /**
   * Apply each message once [InboxProcessor]: its id (the `message_id` header, else the event's
   * `eventId`) is recorded in the handler's transaction, and a redelivery is acked without
   * running the handler. `PgInbox` from @cqrs/postgres; `inboxInterceptor` for custom ids.
   * @default undefined (no inbox: delivery is at least once)
   */
  readonly inbox?: Inbox;
  /** @default consoleLogger('warn') */
  readonly logger?: Logger;
  /** Where signals come from. @default process */
  readonly signalTarget?: SignalTarget;
}

/** The defaults of `ConsumerOptions` that are values. */
export const consumerDefaults = Object.freeze({ handleSignals: false });
