-- @cqrs/postgres 0005: parked rows through their own partial index, so counting them (what
-- outboxMetrics() does on every call) no longer reads the whole table, published rows included.
-- Parked rows are few: the index stays small, and rows that are not parked never enter it.
-- Builds the index (quick on a new table; a large one takes writes only once it is built: run
-- `CREATE INDEX CONCURRENTLY cqrs_outbox_parked ...` by hand first, and this finds it).
CREATE INDEX IF NOT EXISTS cqrs_outbox_parked ON cqrs_outbox (seq) WHERE parked_at IS NOT NULL;
