-- @cqrs/postgres 0003: event ids and inbox keys compare byte by byte (COLLATE "C"). They are
-- opaque strings: a database's linguistic collation (en_US.UTF-8, ICU) orders them no better
-- and makes every unique-index check slower; each relay mark and each inbox insert makes one.
-- Rebuilds the three indexes on these columns (quick on a new table; locks a large one meanwhile).
ALTER TABLE cqrs_outbox ALTER COLUMN id TYPE text COLLATE "C";
ALTER TABLE cqrs_inbox
  ALTER COLUMN consumer TYPE text COLLATE "C",
  ALTER COLUMN message_id TYPE text COLLATE "C";
