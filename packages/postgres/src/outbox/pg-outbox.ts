import { StandardHeaders, jsonValueSerializer, type Message, type Outbox, type ValueSerializer } from '@cqrs/core';
import type { PgQueryable } from '../pg-client';
import { checkSchema } from '../schema-name';
import type { PgTransaction } from '../transaction/pg-transaction';

/** Options of `PgOutbox`. */
export interface PgOutboxOptions {
  /** The context of the unit of work whose transaction the rows join. */
  readonly transaction: PgTransaction<PgQueryable>;
  /**
   * Turns each event into the bytes that go on the wire, stored as they are: the relay (and
   * Debezium) publish these bytes. JSON by default; `ProtobufValueSerializer` for Protobuf.
   */
  readonly serializer?: ValueSerializer;
  /** Schema of the `cqrs_outbox` table; default `public`. */
  readonly schema?: string;
}

const COLUMNS = 8;

/** The Protobuf serializers' message type header, kept in its own column for Debezium (see the README). */
const VALUE_TYPE_HEADER = 'x-protobuf-message-type';

/**
 * The PostgreSQL outbox [OutboxedEventRepository with SQLAlchemy]: `save` serializes each
 * message and inserts it into `cqrs_outbox` through the current unit of work's connection, so
 * the rows commit or roll back with the handler's writes. Outside a unit of work it throws
 * `NoTransactionError`: an event is never stored without the state change it reports.
 */
export class PgOutbox implements Outbox {
  readonly #transaction: PgTransaction<PgQueryable>;
  readonly #serializer: ValueSerializer;
  readonly #table: string;
  readonly #statements = new Map<number, string>();

  constructor(options: PgOutboxOptions) {
    this.#transaction = options.transaction;
    this.#serializer = options.serializer ?? jsonValueSerializer;
    this.#table = `${checkSchema(options.schema)}.cqrs_outbox`;
  }

  async save(messages: readonly Message[]): Promise<void> {
    if (messages.length === 0) return;
    const client = this.#transaction.client;
    const values: unknown[] = [];
    for (const message of messages) {
      const encoded = await this.#serializer.serialize(message);
      // The headers a broker would write, in the order brokers merge them.
      const headers: Record<string, string> = { ...encoded.headers, ...message.headers };
      headers[StandardHeaders.messageName] = message.messageName;
      headers[StandardHeaders.messageId] = message.messageId;
      values.push(
        message.messageId,
        message.topic,
        message.key ?? null,
        message.messageName,
        toBuffer(encoded.value),
        headers[StandardHeaders.contentType] ?? this.#serializer.contentType,
        headers[VALUE_TYPE_HEADER] ?? null,
        headers,
      );
    }
    await client.query(this.#insert(messages.length), values);
  }

  /** The INSERT for `count` rows, built once per batch size. */
  #insert(count: number): string {
    let sql = this.#statements.get(count);
    if (sql === undefined) {
      const rows: string[] = [];
      for (let row = 0; row < count; row += 1) {
        const base = row * COLUMNS;
        rows.push(`($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}, $${base + 8})`);
      }
      sql = `INSERT INTO ${this.#table} (id, aggregatetype, aggregateid, type, payload, content_type, value_type, headers) VALUES ${rows.join(', ')}`;
      if (count <= 16) this.#statements.set(count, sql);
    }
    return sql;
  }
}

/** node-postgres sends a `Buffer` as bytea; a plain `Uint8Array` is wrapped without a copy. */
function toBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
