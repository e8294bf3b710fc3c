-- @cqrs/postgres 0002: the inbox table. One row per (consumer, message id) applied; the row
-- commits in the handler's transaction, so a redelivery finds it and is acked without effect.
CREATE TABLE IF NOT EXISTS cqrs_inbox (
  consumer    text        NOT NULL,
  message_id  text        NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);
-- What cleanup deletes.
CREATE INDEX IF NOT EXISTS cqrs_inbox_received ON cqrs_inbox (received_at);
