import { interruptibleSleep } from '@cqrs/core/transport';
import { KafkaMissingTopicError } from '../errors';
import { chain } from '../connection/classify-error';

/** What `subscribeWhenTopicsExist` needs. */
export interface WaitForTopicsOptions {
  /** kafkajs' `subscribe`, which fails while a topic does not exist. */
  readonly subscribe: () => Promise<void>;
  /** The subscribed topics, named in the error. */
  readonly topics: readonly string[];
  /** Longest wait for the topics to exist. */
  readonly timeoutMs: number;
  /** Aborted when the consumer stops; the wait then ends without error. */
  readonly signal: AbortSignal;
  /** Pause between two tries. @default 500 */
  readonly pollMs?: number;
  /** The clock. @default Date.now */
  readonly now?: () => number;
}

/** True when `error` (or one of its causes) is Kafka's `UNKNOWN_TOPIC_OR_PARTITION`. */
export function isUnknownTopicError(error: unknown): boolean {
  return chain(error).some((link) => (link as { type?: unknown }).type === 'UNKNOWN_TOPIC_OR_PARTITION');
}

/**
 * Subscribes, trying again while a topic does not exist yet, for up to `timeoutMs`; then
 * throws `KafkaMissingTopicError` naming the topics. Other errors propagate at once; once
 * `signal` aborts (the consumer stops) it returns without subscribing.
 */
export async function subscribeWhenTopicsExist(options: WaitForTopicsOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  for (;;) {
    try {
      await options.subscribe();
      return;
    } catch (error) {
      if (!isUnknownTopicError(error)) throw error;
      if (options.signal.aborted) return;
      const remaining = deadline - now();
      if (remaining <= 0) throw new KafkaMissingTopicError(options.topics, options.timeoutMs, error);
      await interruptibleSleep(Math.min(options.pollMs ?? 500, remaining), options.signal);
      if (options.signal.aborted) return;
    }
  }
}
