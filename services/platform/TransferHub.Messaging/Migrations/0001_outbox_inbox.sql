-- Transactional outbox: written in the same transaction as the change it announces; the relay publishes and marks it.
CREATE TABLE IF NOT EXISTS messaging_outbox (
    seq            bigserial PRIMARY KEY,
    id             uuid        NOT NULL UNIQUE,
    message_type   text        NOT NULL,
    body           jsonb       NOT NULL,
    correlation_id text        NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    sent_at        timestamptz NULL,
    attempts       integer     NOT NULL DEFAULT 0,
    last_error     text        NULL,
    dead           boolean     NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS messaging_outbox_pending ON messaging_outbox (seq) WHERE sent_at IS NULL AND NOT dead;

-- Inbox: a consumer records the message id in the same transaction as its effect; a redelivery finds the row and stops.
CREATE TABLE IF NOT EXISTS messaging_inbox (
    message_id   uuid        NOT NULL,
    consumer     text        NOT NULL,
    message_type text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, consumer)
);
