CREATE TABLE technologies (
    id                  uuid PRIMARY KEY,
    organisation_id     uuid        NOT NULL,
    created_by          uuid        NOT NULL,
    title               text        NOT NULL,
    summary             text        NOT NULL,
    language            text        NOT NULL,
    keywords            text[]      NOT NULL DEFAULT '{}',
    trl                 integer     NULL CHECK (trl BETWEEN 1 AND 9),
    confidential_detail text        NULL,
    status              text        NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn')),
    version             integer     NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    published_at        timestamptz NULL
);
CREATE INDEX technologies_organisation ON technologies (organisation_id, created_at DESC);

-- Idempotency-Key records: a retried create with the same key and body answers with the first result.
CREATE TABLE idempotency_keys (
    user_id      uuid        NOT NULL,
    key          text        NOT NULL,
    request_hash bytea       NOT NULL,
    resource_id  uuid        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
