-- @cqrs/postgres 0001: the outbox table. Runs in the target schema (migrate() sets search_path).
-- The columns follow Debezium's outbox event router (id, aggregatetype, aggregateid, type,
-- payload), and each row stores what goes on the wire: the serialized bytes and every header
-- (in `headers` for the relay; the standard ones also in columns Debezium can place as headers).
CREATE TABLE IF NOT EXISTS cqrs_outbox (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- commit-independent order
  id            text        NOT NULL UNIQUE,  -- the event id; header message_id
  aggregatetype text        NOT NULL,         -- the topic (Debezium: route.by.field)
  aggregateid   text,                         -- the key; one key keeps its order
  type          text        NOT NULL,         -- the event name; header message_name
  payload       bytea,                        -- the serialized value (JSON or Confluent Protobuf)
  content_type  text,                         -- header content-type
  value_type    text,                         -- header x-protobuf-message-type (Protobuf values)
  headers       jsonb       NOT NULL DEFAULT '{}'::jsonb, -- every header, as published
  created_at    timestamptz NOT NULL DEFAULT now(),
  available_at  timestamptz NOT NULL DEFAULT now(),  -- not before: retry backoff
  attempts      integer     NOT NULL DEFAULT 0,
  last_error    text,
  published_at  timestamptz,
  parked_at     timestamptz                   -- gave up after the last attempt; last_error says why
);

-- What the relay claims: pending rows in order. The relay looks rows up by seq only, so each
-- of its statements has one plan, statistics or not.
CREATE INDEX IF NOT EXISTS cqrs_outbox_pending ON cqrs_outbox (seq)
  WHERE published_at IS NULL AND parked_at IS NULL;
-- What cleanup deletes.
CREATE INDEX IF NOT EXISTS cqrs_outbox_published ON cqrs_outbox (published_at)
  WHERE published_at IS NOT NULL;

-- Wakes LISTENing relays when a transaction that inserted rows commits (one notification per
-- transaction and channel: PostgreSQL folds identical ones).
CREATE OR REPLACE FUNCTION cqrs_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cqrs_outbox.' || TG_TABLE_SCHEMA, '');
  RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS cqrs_outbox_notify ON cqrs_outbox;
CREATE TRIGGER cqrs_outbox_notify AFTER INSERT ON cqrs_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION cqrs_outbox_notify();
