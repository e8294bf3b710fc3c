-- @cqrs/postgres 0004: one outbox row per event id, checked through a hash index instead of a
-- B-tree. Marking a row published writes a new row version, and each version adds an entry to
-- every index; a B-tree entry for a random id costs a descent and page splits, a hash entry one
-- bucket. Duplicates are still refused (SQLSTATE 23P01, exclusion_violation, instead of 23505).
-- Rebuilds the index (quick on a new table; locks a large one meanwhile).
ALTER TABLE cqrs_outbox DROP CONSTRAINT IF EXISTS cqrs_outbox_id_key;
ALTER TABLE cqrs_outbox ADD CONSTRAINT cqrs_outbox_id_unique EXCLUDE USING hash (id WITH =);
