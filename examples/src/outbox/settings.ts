// What the outbox examples read from their options or the environment: they need PostgreSQL
// (DATABASE_URL, which `bash scripts/services env` exports); Kafka is optional.
import { Pool } from 'pg';

/** Options of the outbox examples. */
export interface OutboxExampleOptions {
  /** Default `DATABASE_URL`, else the local test database. */
  readonly databaseUrl?: string;
  /** Schema of the outbox table, migrated on start; default `examples_outbox`. */
  readonly schema?: string;
  /** Kafka `host:port` list; default `KAFKA_BROKERS`. Unset: the in-memory broker. */
  readonly brokers?: string | undefined;
  /** Default `empty_topic`, the reference's. */
  readonly topic?: string;
}

/** A pool on the examples' database. */
export function poolOf(options: OutboxExampleOptions): Pool {
  return new Pool({ connectionString: options.databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://cqrs:cqrs@127.0.0.1:5432/cqrs', max: 5 });
}
