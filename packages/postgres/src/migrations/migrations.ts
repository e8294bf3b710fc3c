import outbox from '../../migrations/0001_outbox.sql';
import inbox from '../../migrations/0002_inbox.sql';
import byteOrderIds from '../../migrations/0003_byte_order_ids.sql';
import hashedEventIds from '../../migrations/0004_hashed_event_ids.sql';
import parkedIndex from '../../migrations/0005_parked_index.sql';

/** One schema change, applied once per schema in name order. */
export interface Migration {
  readonly name: string;
  readonly sql: string;
}

/** The migrations this package ships, also as files in `@cqrs/postgres/migrations/`. */
export const migrations: readonly Migration[] = [
  { name: '0001_outbox', sql: outbox },
  { name: '0002_inbox', sql: inbox },
  { name: '0003_byte_order_ids', sql: byteOrderIds },
  { name: '0004_hashed_event_ids', sql: hashedEventIds },
  { name: '0005_parked_index', sql: parkedIndex },
];
