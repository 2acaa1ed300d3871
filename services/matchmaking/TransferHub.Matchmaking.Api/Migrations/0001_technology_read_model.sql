-- What matchmaking knows of published technologies, kept from listing's events (never the confidential detail).
CREATE TABLE technologies (
    id              uuid PRIMARY KEY,
    organisation_id uuid        NOT NULL,
    version         integer     NOT NULL,
    title           text        NOT NULL,
    summary         text        NOT NULL,
    language        text        NOT NULL,
    keywords        text[]      NOT NULL DEFAULT '{}',
    trl             integer     NULL,
    published_at    timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- how many events changed this row: with the inbox, each event applies once
    applied_events  integer     NOT NULL DEFAULT 1
);
CREATE INDEX technologies_published ON technologies (published_at DESC, id);
