export { PostgresError, NoTransactionError, MigrationError, OutboxPublishError, UnsupportedClientError } from './errors';
export type { PgArrayQuery, PgListeningClient, PgNotification, PgPool, PgPoolClient, PgQueryResult, PgQueryable } from './pg-client';
export { DEFAULT_SCHEMA, outboxChannel } from './schema-name';

export { migrate, type MigrateOptions } from './migrations/migrate';
export { migrations, type Migration } from './migrations/migrations';

export { PgTransaction } from './transaction/pg-transaction';
export { PgUnitOfWork, type PgUnitOfWorkOptions } from './transaction/pg-unit-of-work';
export { unitOfWorkMiddleware, type UnitOfWorkMiddlewareOptions } from './transaction/unit-of-work-middleware';

export { PgOutbox, type PgOutboxOptions } from './outbox/pg-outbox';
export { OutboxRelay } from './relay/outbox-relay';
export type { OnPublished, OutboxRelayOptions, OutboxRelayStats } from './relay/relay-options';
export { outboxMetrics, requeueParked, type OutboxMetrics, type OutboxMetricsOptions } from './relay/outbox-metrics';
export { rowToMessage, type OutboxRow } from './relay/outbox-row';

export { PgInbox, type PgInboxOptions } from './inbox/pg-inbox';
export { cleanupInbox, cleanupOutbox, type CleanupInboxOptions, type CleanupOutboxOptions } from './cleanup';
