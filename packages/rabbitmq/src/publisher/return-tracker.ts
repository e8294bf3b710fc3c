import type { Message as AMQPMessage } from 'amqplib';
import { AMQPHeaders } from '../amqp-headers';

/** Why the broker returned a mandatory publish (`basic.return`). */
export interface ReturnedPublish {
  readonly replyCode: number;
  readonly replyText: string;
}

/** One publish the tracker watches: `returned()` tells whether its `basic.return` arrived. */
export interface TrackedPublish {
  /** The value of the `x-cqrs-publish-seq` header this publish carries. */
  readonly seq: string;
  returned(): ReturnedPublish | undefined;
  /** Stops watching; call once the publish was confirmed or failed. */
  release(): void;
}

/**
 * Matches `basic.return` frames of one channel to the publishes they return. Each publish carries
 * a sequence number unique on the channel in a header, because the message id alone is not: the
 * same event may be published twice at once. RabbitMQ sends the return of a message before its
 * confirm on the same channel, so by the time the confirm arrives the publish knows its fate.
 */
export class ReturnTracker {
  readonly #pending = new Map<string, { returned: ReturnedPublish | undefined }>();
  #next = 0;

  /** Starts watching a new publish. */
  track(): TrackedPublish {
    this.#next += 1;
    const seq = String(this.#next);
    const entry: { returned: ReturnedPublish | undefined } = { returned: undefined };
    this.#pending.set(seq, entry);
    return { seq, returned: () => entry.returned, release: () => this.#pending.delete(seq) };
  }

  /** The channel's 'return' listener. A return without a known sequence (not ours) is ignored. */
  onReturn(message: AMQPMessage): void {
    const headers: Record<string, unknown> | undefined = message.properties.headers;
    const seq = headers?.[AMQPHeaders.publishSeq];
    const entry = this.#pending.get(typeof seq === 'string' ? seq : Buffer.isBuffer(seq) ? seq.toString('utf8') : String(seq));
    if (entry === undefined) return;
    const fields = message.fields as unknown as { replyCode?: number; replyText?: string };
    entry.returned = { replyCode: fields.replyCode ?? 312, replyText: fields.replyText ?? 'NO_ROUTE' };
  }
}
