import { LogThrottle } from '../logging/log-throttle';
import type { Logger } from '../logging/logger';
import type { ConsumedMessage } from './consumed-message';
import { describeError } from './dead-letter';
import { processDelivery, type DeliveryOutcome, type ReceivedMessage } from './process-delivery';
import { nextStep, type RetryPolicy } from './retry-policy';
import type { Subscription } from './subscription';

/**
 * How a delivery ended: handled (acked), skipped by the decoder, handed back to the transport
 * for a later attempt, dead-lettered, or interrupted (stop, revoked partition) before it ended,
 * so the transport must leave it unsettled for redelivery.
 */
export type DeliveryResult = 'acked' | 'skipped' | 'retried' | 'dead-lettered' | 'interrupted';

/**
 * What a transport supplies to `runDelivery`; `raw` is its own record (a kafkajs message, an
 * AMQP delivery), passed through untouched. Hooks that throw make `runDelivery` throw: the
 * transport decides whether that skips the record, stops the partition or requeues it.
 */
export interface DeliveryHooks<M extends ConsumedMessage, R> {
  /**
   * Waits `delayMs` before the next attempt, in place; resolves false when cut short (stop,
   * revoked partition). Used when `retryLater` is absent.
   */
  waitInPlace?(delayMs: number, received: ReceivedMessage<M>, raw: R): Promise<boolean>;
  /** Hands the message to the transport for a later attempt after `delayMs` (a delay queue) instead of waiting in place. */
  retryLater?(received: ReceivedMessage<M>, raw: R, delayMs: number, error: unknown): Promise<void>;
  /** Names the dead-letter destination of a message, for the log line. */
  deadLetterDestination?(received: ReceivedMessage<M>): string;
  /** Sends the original bytes and headers, with the error, to the dead-letter destination; throws when it could not. */
  deadLetter(received: ReceivedMessage<M>, raw: R, error: unknown, attempts: number): Promise<void>;
  /** Settles the delivery on the transport (ack, commit) once it ended, interrupted or not. */
  settle?(received: ReceivedMessage<M>, raw: R, result: DeliveryResult): void | Promise<void>;
}

/** What `runDelivery` needs besides the message and the hooks. */
export interface DeliveryPolicy {
  readonly retry: RetryPolicy;
  readonly logger: Logger;
}

/** `topic[partition]@offset`, `queue#id` or `topic@offset`: where a message came from, for log lines. */
export function whereFrom(received: ReceivedMessage<ConsumedMessage> & { readonly partition?: number; readonly offset?: string | number; readonly queue?: string }): string {
  if (received.queue !== undefined) return `'${received.queue}' (${received.topic})`;
  if (received.partition !== undefined) return `${received.topic}[${received.partition}]@${received.offset}`;
  return received.offset === undefined ? received.topic : `${received.topic}@${received.offset}`;
}

// One throttle per logger: every consumer sharing a logger shares its budget of retry lines.
const retryLogs = new WeakMap<Logger, LogThrottle>();

function retryThrottle(logger: Logger): LogThrottle {
  let throttle = retryLogs.get(logger);
  if (throttle === undefined) {
    throttle = new LogThrottle();
    retryLogs.set(logger, throttle);
  }
  return throttle;
}

function withAttempt<M extends ConsumedMessage>(received: ReceivedMessage<M>, attempt: number): ReceivedMessage<M> {
  return { ...received, attempt };
}

/**
 * The one delivery pipeline of every consumer: decode → handler → retry decision → wait in
 * place (or hand back to the transport) → dead letter → settle, logging each retry (warn,
 * rate-limited per topic and error type) and dead letter (warn) with its error.
 * `received.attempt` is where it starts (a redelivered RabbitMQ copy starts later). `first` is the outcome of that attempt when the transport ran
 * `processDelivery` itself (a hot loop that settles the usual ack inline and calls this only
 * for a nack).
 */
export async function runDelivery<M extends ConsumedMessage, R>(
  received: ReceivedMessage<M>,
  raw: R,
  subscription: Subscription<unknown, M>,
  policy: DeliveryPolicy,
  hooks: DeliveryHooks<M, R>,
  first?: DeliveryOutcome,
): Promise<DeliveryResult> {
  let current = received;
  let given = first;
  for (;;) {
    const outcome = given ?? (await processDelivery(current, subscription));
    given = undefined;
    if (outcome.kind !== 'nack') {
      const result = outcome.kind === 'ack' ? 'acked' : 'skipped';
      if (hooks.settle !== undefined) await hooks.settle(current, raw, result);
      return result;
    }
    const attempt = current.attempt;
    const step = nextStep(policy.retry, attempt, outcome.error);
    const described = describeError(outcome.error);
    const fields = { attempt, maxAttempts: policy.retry.maxAttempts, errorType: described.type, error: described.message };
    if (step.retry) {
      // Warn, so a failing handler or an unreachable registry shows with the default logger;
      // one line per topic and error type every 10 s, so an outage does not flood the log.
      const verdict = retryThrottle(policy.logger).admit(`${current.topic}\u0000${described.type}`);
      if (verdict.log) {
        const held = verdict.suppressed > 0 ? ` (${verdict.suppressed} similar retries not logged)` : '';
        policy.logger.warn(`message ${whereFrom(current)} was nacked on attempt ${attempt} of ${policy.retry.maxAttempts}; retrying in ${step.delayMs} ms: ${described.type}: ${described.message}${held}`, fields);
      }
      if (hooks.retryLater !== undefined) {
        await hooks.retryLater(current, raw, step.delayMs, outcome.error);
        if (hooks.settle !== undefined) await hooks.settle(current, raw, 'retried');
        return 'retried';
      }
      const waited = hooks.waitInPlace === undefined ? true : await hooks.waitInPlace(step.delayMs, current, raw);
      if (!waited) {
        if (hooks.settle !== undefined) await hooks.settle(current, raw, 'interrupted');
        return 'interrupted';
      }
      current = withAttempt(current, attempt + 1);
      continue;
    }
    const destination = hooks.deadLetterDestination === undefined ? '' : ` to ${hooks.deadLetterDestination(current)}`;
    policy.logger.warn(`dead-lettering message ${whereFrom(current)}${destination} after ${attempt} attempt(s): ${described.type}: ${described.message}`, fields);
    await hooks.deadLetter(current, raw, outcome.error, attempt);
    if (hooks.settle !== undefined) await hooks.settle(current, raw, 'dead-lettered');
    return 'dead-lettered';
  }
}
