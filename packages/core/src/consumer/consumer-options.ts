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
  /** Wrap every handler call, first outermost: where an inbox records the message id in the handler's transaction. @default [] */
  readonly interceptors?: readonly HandlerInterceptor[];
  /** @default consoleLogger('warn') */
  readonly logger?: Logger;
  /** Where signals come from. @default process */
  readonly signalTarget?: SignalTarget;
}

/** The defaults of `ConsumerOptions` that are values. */
export const consumerDefaults = Object.freeze({ handleSignals: false });
