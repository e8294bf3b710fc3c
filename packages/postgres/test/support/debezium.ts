import { unique, waitFor } from '@cqrs/test-fixtures';
import type { Pool } from 'pg';

/** `scripts/services env`'s KAFKA_CONNECT_URL, loopback default. */
export const connectUrl = process.env.KAFKA_CONNECT_URL?.trim() || 'http://127.0.0.1:8083';

const db = new URL(process.env.DATABASE_URL?.trim() || 'postgres://cqrs:cqrs@127.0.0.1:5432/cqrs');

/**
 * The Debezium configuration that reads `<schema>.cqrs_outbox` and publishes what each row
 * stores, as the relay would: the topic from `aggregatetype`, the key from `aggregateid`, the
 * `payload` bytes unchanged, and the standard headers from their columns. The same settings
 * are in the package README.
 */
export function outboxConnectorConfig(schema: string, name: string, format: 'json' | 'protobuf'): Record<string, string> {
  const slot = name.replace(/[^a-z0-9_]/g, '_');
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'plugin.name': 'pgoutput',
    'database.hostname': db.hostname,
    'database.port': db.port || '5432',
    'database.user': decodeURIComponent(db.username),
    'database.password': decodeURIComponent(db.password),
    'database.dbname': db.pathname.slice(1),
    'topic.prefix': slot,
    'slot.name': slot,
    'slot.drop.on.stop': 'true',
    'publication.name': `${slot}_pub`,
    'publication.autocreate.mode': 'filtered',
    'table.include.list': `${schema}.cqrs_outbox`,
    'snapshot.mode': 'no_data',
    'binary.handling.mode': 'bytes',
    'tombstones.on.delete': 'false',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    transforms: 'outbox',
    'transforms.outbox.type': 'io.debezium.transforms.outbox.EventRouter',
    'transforms.outbox.table.field.event.id': 'id',
    'transforms.outbox.table.field.event.key': 'aggregateid',
    'transforms.outbox.table.field.event.payload': 'payload',
    'transforms.outbox.route.by.field': 'aggregatetype',
    'transforms.outbox.route.topic.replacement': '${routedByValue}',
    // Protobuf values also carry their message type (a JSON row's value_type is null, and a null header is best left out).
    'transforms.outbox.table.fields.additional.placement': `type:header:message_name,id:header:message_id,content_type:header:content-type${format === 'protobuf' ? ',value_type:header:x-protobuf-message-type' : ''}`,
  };
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${connectUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text.length === 0 ? undefined : (JSON.parse(text) as unknown) };
}

/** Registers a Debezium outbox connector for `schema` and waits until its slot streams. */
export async function startOutboxConnector(pool: Pool, schema: string, format: 'json' | 'protobuf'): Promise<{ name: string; stop: () => Promise<void> }> {
  const name = unique('cqrs_outbox').toLowerCase().replace(/-/g, '_');
  const created = await call('POST', '/connectors', { name, config: outboxConnectorConfig(schema, name, format) });
  if (created.status !== 201) throw new Error(`Kafka Connect refused the connector: ${created.status} ${JSON.stringify(created.json)}`);
  const stop = async (): Promise<void> => {
    await call('DELETE', `/connectors/${name}`);
    // The slot is dropped when the task stops; make sure it is gone so WAL is not retained.
    await waitFor(async () => (await pool.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active', [name])).rowCount === 0, 'the slot released', 30_000);
    await pool.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [name]);
    await pool.query(`DROP PUBLICATION IF EXISTS ${name}_pub`);
  };
  try {
    await waitFor(
      async () => {
        const status = (await call('GET', `/connectors/${name}/status`)).json as { tasks?: { state: string; trace?: string }[] } | undefined;
        const task = status?.tasks?.[0];
        if (task?.state === 'FAILED') throw new Error(`the connector's task failed: ${task.trace?.slice(0, 2000)}`);
        return task?.state === 'RUNNING' && (await pool.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active', [name])).rowCount === 1;
      },
      'the connector running and its replication slot streaming',
      60_000,
      200,
    );
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { name, stop };
}
