import { errorMessage, isErrorLike } from '@cqrs/core';
import type { ConfirmChannel } from 'amqplib';
import { AMQPHeaders } from '../amqp-headers';
import { AMQPConnectionError, AMQPPublishNackedError, AMQPUnroutableError } from '../errors';
import type { AMQPOutgoingMessage } from './outgoing-message';
import type { ReturnTracker } from './return-tracker';

/** A publish in progress: `confirmed` settles on the broker's ack; `flowing` false means wait for 'drain'. */
export interface PendingConfirm {
  readonly confirmed: Promise<void>;
  readonly flowing: boolean;
}

/** A zero-copy Buffer view of bytes, as amqplib wants. */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function describe(out: AMQPOutgoingMessage): string {
  return `message ${out.properties.messageId ?? '(no id)'} to exchange '${out.exchange}' with routing key '${out.routingKey}'`;
}

/**
 * Publishes on a confirm channel. `confirmed` resolves when the broker acked, and rejects with
 * `AMQPPublishNackedError` on a nack or `AMQPConnectionError` when the channel closed first
 * (the message may or may not have arrived: publish again, consumers dedupe by message id).
 * With `returns` (the channel's tracker) the publish is `mandatory`, and one the broker returned
 * rejects with `AMQPUnroutableError` on its confirm instead of resolving.
 */
export function publishConfirmed(channel: ConfirmChannel, out: AMQPOutgoingMessage, returns?: ReturnTracker): PendingConfirm {
  let flowing = true;
  const tracked = returns?.track();
  const confirmed = new Promise<void>((resolve, reject) => {
    try {
      const headers = tracked === undefined ? { ...out.properties.headers } : { ...out.properties.headers, [AMQPHeaders.publishSeq]: tracked.seq };
      const options = tracked === undefined ? { ...out.properties, headers } : { ...out.properties, headers, mandatory: true };
      flowing = channel.publish(out.exchange, out.routingKey, toBuffer(out.content), options, (error: unknown) => {
        const returned = tracked?.returned();
        tracked?.release();
        if (error === null || error === undefined) {
          if (returned === undefined) resolve();
          else reject(unroutable(out, returned.replyCode, returned.replyText));
        } else if (isErrorLike(error) && error.message === 'message nacked') reject(new AMQPPublishNackedError(`RabbitMQ nacked ${describe(out)}`));
        else reject(new AMQPConnectionError(`The channel closed before RabbitMQ confirmed ${describe(out)}`, { cause: error }));
      });
    } catch (error) {
      tracked?.release();
      // A RangeError (headers too large) is the caller's bug; a closed channel is a connection problem.
      if (error instanceof RangeError) reject(error);
      else reject(new AMQPConnectionError(`Could not publish ${describe(out)}: ${errorMessage(error)}`, { cause: error }));
    }
  });
  return { confirmed, flowing };
}

function unroutable(out: AMQPOutgoingMessage, replyCode: number, replyText: string): AMQPUnroutableError {
  return new AMQPUnroutableError(
    `RabbitMQ returned ${describe(out)} as unroutable (${replyCode} ${replyText}): no queue is bound for it and the exchange has no alternate exchange`,
    { exchange: out.exchange, routingKey: out.routingKey },
  );
}

/** Resolves when the channel's write buffer drained, or when it closed. */
export function waitForDrain(channel: ConfirmChannel): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      channel.off('drain', done);
      channel.off('close', done);
      resolve();
    };
    channel.once('drain', done);
    channel.once('close', done);
  });
}
