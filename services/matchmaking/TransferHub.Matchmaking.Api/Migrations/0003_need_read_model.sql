-- What matchmaking knows of companies' needs, kept from listing's events (never the confidential detail).
CREATE TABLE needs (
    id              uuid PRIMARY KEY,
    organisation_id uuid          NOT NULL,
    version         integer       NOT NULL,
    status          text          NOT NULL,
    title           text          NOT NULL,
    summary         text          NOT NULL,
    language        text          NOT NULL,
    keywords        text[]        NOT NULL DEFAULT '{}',
    fields          text[]        NOT NULL DEFAULT '{}',
    trl_min         integer       NULL,
    budget          numeric(20,2) NULL,
    currency        text          NULL,
    deadline        date          NULL,
    country         text          NOT NULL,
    anonymous       boolean       NOT NULL,
    open_call       boolean       NOT NULL,
    closes_on       date          NULL,
    published_at    timestamptz   NOT NULL,
    received_at     timestamptz   NOT NULL DEFAULT clock_timestamp(),
    applied_events  integer       NOT NULL DEFAULT 1
);
CREATE INDEX needs_published ON needs (published_at DESC, id);
