import { nextStep, processDelivery, type Logger, type RetryPolicy, type Subscription } from '@cqrs/core';
import type { Batch, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { backoffWait } from './backoff-wait';
import { headersToRecord } from './headers';
import type { KafkaConsumedMessage } from './kafka-consumed-message';
import { PartitionOffsetTracker } from './offset-tracker';

/** The part of kafkajs' `eachBatch` payload a batch needs. */
export type BatchPayload = Pick<EachBatchPayload, 'resolveOffset' | 'heartbeat' | 'commitOffsetsIfNecessary' | 'isRunning' | 'isStale'> & {
  readonly batch: Pick<Batch, 'topic' | 'partition' | 'messages'>;
};

/** A record that failed for good, with where it came from. */
export interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  readonly error: unknown;
  readonly attempts: number;
}

/** What `processBatch` needs besides the batch. */
export interface BatchContext {
  readonly subscription: Subscription<unknown, KafkaConsumedMessage>;
  readonly retry: RetryPolicy;
  /** Publishes the original record to the dead-letter topic; throws when it could not. */
  readonly deadLetter: (letter: DeadLetter) => Promise<void>;
  /** Longest time between commits within one batch. */
  readonly commitIntervalMs: number;
  /** Aborted when the consumer stops. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

type Received = Omit<KafkaConsumedMessage, 'ack' | 'nack'>;

function received(topic: string, partition: number, message: KafkaMessage, attempt: number): Received {
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key === null ? undefined : message.key.toString('utf8'),
    headers: headersToRecord(message.headers),
    value: message.value,
    attempt,
  };
}

/**
 * Handles one fetched batch of one partition, record by record in order: decode, handler,
 * then ack (done), or nack (retry after backoff in place, up to `retry.maxAttempts`, then
 * dead-letter and move on). Commits the highest contiguous done offset + 1 at least every
 * `commitIntervalMs` and when the batch ends. Stops early, without skipping anything, when the
 * consumer stops or the partition is revoked; what was not done is fetched again.
 */
export async function processBatch(payload: BatchPayload, context: BatchContext): Promise<void> {
  const { topic, partition, messages } = payload.batch;
  const tracker = new PartitionOffsetTracker();
  for (const message of messages) tracker.track(message.offset);
  const proceed = (): boolean => !context.signal.aborted && payload.isRunning() && !payload.isStale();
  let lastCommit = Date.now();

  const commit = async (): Promise<void> => {
    const offset = tracker.committable();
    if (offset === undefined) return;
    await payload.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
    tracker.committed(offset);
    lastCommit = Date.now();
  };

  // Delivers one record until it is done; false when cut short by a stop or revocation.
  const deliver = async (message: KafkaMessage): Promise<boolean> => {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await processDelivery<unknown, KafkaConsumedMessage>(received(topic, partition, message, attempt), context.subscription);
      if (outcome.kind !== 'nack') return true;
      const step = nextStep(context.retry, attempt, outcome.error);
      if (!step.retry) {
        await context.deadLetter({ topic, partition, message, error: outcome.error, attempts: attempt });
        return true;
      }
      const waited = await backoffWait(step.delayMs, { heartbeat: payload.heartbeat, keepWaiting: proceed, signal: context.signal });
      if (!waited) return false;
    }
  };

  try {
    for (const message of messages) {
      if (!proceed()) break;
      if (!(await deliver(message))) break;
      tracker.complete(message.offset);
      payload.resolveOffset(message.offset);
      if (Date.now() - lastCommit >= context.commitIntervalMs) await commit();
      await payload.heartbeat();
    }
    await commit();
  } catch (error) {
    // A rebalance or a failed dead-letter publish: keep what is done, then let kafkajs recover.
    await commit().catch((commitError: unknown) => context.logger.debug(`commit before recovery failed: ${String(commitError)}`));
    throw error;
  }
}
