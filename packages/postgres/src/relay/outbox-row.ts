import { EncodedPayload, type Message } from '@cqrs/core';

/** A claimed `cqrs_outbox` row, as the relay reads it. */
export interface OutboxRow {
  readonly seq: string;
  readonly id: string;
  readonly aggregatetype: string;
  readonly aggregateid: string | null;
  readonly type: string;
  readonly payload: Uint8Array | null;
  readonly headers: Record<string, string>;
  readonly attempts: number;
}

const EMPTY = new Uint8Array(0);

/**
 * The message that publishes a row: the stored bytes as an `EncodedPayload` (the relay's
 * broker passes them through with `encodedValueSerializer`) and the row's headers (the relay
 * reads `message_name` and `message_id` from the `type` and `id` columns).
 */
export function rowToMessage(row: OutboxRow): Message<EncodedPayload> {
  const message: { -readonly [K in keyof Message<EncodedPayload>]: Message<EncodedPayload>[K] } = {
    messageName: row.type,
    messageId: row.id,
    topic: row.aggregatetype,
    payload: new EncodedPayload(row.payload ?? EMPTY),
    headers: row.headers,
  };
  if (row.aggregateid !== null) message.key = row.aggregateid;
  return message;
}

/** Rows of one key keep their order; a keyless row is ordered with nothing. */
export function orderKey(row: OutboxRow): string {
  return row.aggregateid === null ? `#${row.seq}` : `${row.aggregatetype}\u0000${row.aggregateid}`;
}
