import type { Logger, RetryPolicy, Subscription } from '@cqrs/core';
import { isPromise, processDelivery, runDelivery, type DeliveryHooks, type DeliveryPolicy } from '@cqrs/core/transport';
import type { Batch, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { backoffWait } from './backoff-wait';
import { HeaderTextCache, headersToRecord } from './headers';
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
  /** Names the dead-letter topic of a source topic, for the log line. */
  readonly deadLetterDestination?: (topic: string) => string;
  /** Longest time between commits within one batch. */
  readonly commitIntervalMs: number;
  /** Aborted when the consumer stops. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** How often, at most, the loop checks for a revoked partition and asks kafkajs whether a heartbeat is due; default 100 ms. */
  readonly checkIntervalMs?: number;
}

type Received = Omit<KafkaConsumedMessage, 'ack' | 'nack'>;

// kafkajs sends a heartbeat only once its interval passed, and a batch goes stale only on a seek
// or a revocation: asking on every record is wasted work.
const CHECK_INTERVAL_MS = 100;

function received(topic: string, partition: number, message: KafkaMessage, attempt: number, headerText: HeaderTextCache): Received {
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key === null ? undefined : message.key.toString(),
    headers: headersToRecord(message.headers, headerText),
    value: message.value,
    attempt,
  };
}

/**
 * Handles one fetched batch of one partition, record by record in order, through core's
 * `runDelivery`: decode, handler, then ack (done), or nack (retry after backoff in place,
 * heartbeating, up to `retry.maxAttempts`, then dead-letter and move on). Commits the highest contiguous done offset + 1 at least every
 * `commitIntervalMs` and when the batch ends. Stops early, without skipping anything, when the
 * consumer stops or the partition is revoked; what was not done is fetched again.
 */
export async function processBatch(payload: BatchPayload, context: BatchContext): Promise<void> {
  const { topic, partition, messages } = payload.batch;
  const tracker = new PartitionOffsetTracker();
  const headerText = new HeaderTextCache();
  for (const message of messages) tracker.track(message.offset);
  const proceed = (): boolean => !context.signal.aborted && payload.isRunning() && !payload.isStale();
  const checkIntervalMs = context.checkIntervalMs ?? CHECK_INTERVAL_MS;
  let lastCommit = Date.now();
  let nextCheck = 0;
  // kafkajs keeps only the latest resolved offset and reads it once the batch returns (where
  // the next fetch starts): resolving once, not per record, saves two Long conversions a record.
  const resolveDone = (): void => {
    const done = tracker.lastDone;
    if (done !== undefined) payload.resolveOffset(done);
  };

  const commit = async (): Promise<void> => {
    const offset = tracker.committable();
    if (offset === undefined) return;
    await payload.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
    tracker.committed(offset);
    lastCommit = Date.now();
  };

  const policy: DeliveryPolicy = { retry: context.retry, logger: context.logger };
  const destination = context.deadLetterDestination;
  const hooks: DeliveryHooks<KafkaConsumedMessage, KafkaMessage> = {
    // Retries wait in place, heartbeating, so the partition keeps its order and its member.
    waitInPlace: (delayMs) => backoffWait(delayMs, { heartbeat: payload.heartbeat, keepWaiting: proceed, signal: context.signal }),
    deadLetter: (_received, message, error, attempts) => context.deadLetter({ topic, partition, message, error, attempts }),
    ...(destination === undefined ? {} : { deadLetterDestination: (received) => destination(received.topic) }),
  };

  try {
    for (const message of messages) {
      if (context.signal.aborted || !payload.isRunning()) break;
      const now = Date.now();
      if (now - lastCommit >= context.commitIntervalMs) await commit();
      if (now >= nextCheck) {
        nextCheck = now + checkIntervalMs;
        if (payload.isStale()) break;
        await payload.heartbeat();
      }
      const first = received(topic, partition, message, 1, headerText);
      // The usual ack is settled here; a nack goes on through core's runner (retry, dead letter).
      const result = processDelivery<unknown, KafkaConsumedMessage>(first, context.subscription);
      const outcome = isPromise(result) ? await result : result;
      if (outcome.kind === 'nack' && (await runDelivery(first, message, context.subscription, policy, hooks, outcome)) === 'interrupted') break;
      tracker.complete(message.offset);
    }
    resolveDone();
    await commit();
  } catch (error) {
    // A rebalance or a failed dead-letter publish: keep what is done, then let kafkajs recover.
    resolveDone();
    await commit().catch((commitError: unknown) => context.logger.debug(`commit before recovery failed: ${String(commitError)}`));
    throw error;
  }
}
