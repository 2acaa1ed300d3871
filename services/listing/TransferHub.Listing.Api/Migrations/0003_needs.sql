-- Companies' needs, published after moderation; an open call (揭榜挂帅) is a need that takes proposals until closes_on.
CREATE TABLE needs (
    id                  uuid          PRIMARY KEY,
    organisation_id     uuid          NOT NULL,
    created_by          uuid          NOT NULL,
    status              text          NOT NULL CHECK (status IN
        ('draft', 'submitted', 'returned', 'published', 'under-negotiation', 'fulfilled', 'withdrawn', 'expired')),
    version             integer       NOT NULL,
    title               text          NOT NULL,
    summary             text          NOT NULL,
    language            text          NOT NULL,
    keywords            text[]        NOT NULL DEFAULT '{}',
    translations        jsonb         NOT NULL DEFAULT '[]',
    fields              text[]        NOT NULL DEFAULT '{}',
    trl_min             integer       NULL CHECK (trl_min BETWEEN 1 AND 9),
    budget              numeric(20,2) NULL,
    currency            text          NULL,
    deadline            date          NULL,
    country             text          NOT NULL,
    anonymous           boolean       NOT NULL DEFAULT false,
    open_call           boolean       NOT NULL DEFAULT false,
    closes_on           date          NULL,
    contact             jsonb         NULL,
    confidential_detail text          NULL,
    return_reasons      text          NULL,
    created_at          timestamptz   NOT NULL DEFAULT now(),
    updated_at          timestamptz   NOT NULL DEFAULT now(),
    submitted_at        timestamptz   NULL,
    published_at        timestamptz   NULL,
    closed_at           timestamptz   NULL,
    CHECK (NOT open_call OR closes_on IS NOT NULL)
);
CREATE INDEX needs_organisation ON needs (organisation_id, created_at DESC);
CREATE INDEX needs_public ON needs (published_at DESC, id) WHERE status IN ('published', 'under-negotiation', 'fulfilled');
CREATE INDEX needs_fields ON needs USING gin (fields);
CREATE INDEX needs_moderation ON needs (submitted_at, id) WHERE status = 'submitted';
CREATE INDEX needs_expiry ON needs (deadline) WHERE status IN ('published', 'under-negotiation');

CREATE TABLE need_versions (
    need_id               uuid        NOT NULL REFERENCES needs (id),
    version               integer     NOT NULL,
    action                text        NOT NULL,
    status                text        NOT NULL,
    actor_user_id         uuid        NULL,
    actor_organisation_id uuid        NULL,
    reason                text        NULL,
    confidential_changed  boolean     NOT NULL DEFAULT false,
    snapshot              jsonb       NOT NULL,
    at                    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (need_id, version)
);

-- Answers to open calls. The approach is for the need's owner only.
CREATE TABLE proposals (
    id              uuid          PRIMARY KEY,
    need_id         uuid          NOT NULL REFERENCES needs (id),
    organisation_id uuid          NOT NULL,
    created_by      uuid          NOT NULL,
    status          text          NOT NULL CHECK (status IN ('submitted', 'shortlisted', 'selected', 'rejected', 'withdrawn')),
    version         integer       NOT NULL,
    title           text          NOT NULL,
    summary         text          NOT NULL,
    language        text          NOT NULL,
    approach        text          NULL,
    price           numeric(20,2) NULL,
    currency        text          NULL,
    technology_id   uuid          NULL REFERENCES technologies (id),
    decision_note   text          NULL,
    created_at      timestamptz   NOT NULL DEFAULT now(),
    updated_at      timestamptz   NOT NULL DEFAULT now()
);
-- one live proposal per organisation and call
CREATE UNIQUE INDEX proposals_one_per_organisation ON proposals (need_id, organisation_id) WHERE status <> 'withdrawn';
