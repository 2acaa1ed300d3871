-- The full technology model (issue 4): translations, fields, stage, IP, owners, transfer and pricing terms, target
-- countries, contact, expiry; the moderated lifecycle; a version row for every change; confidential-detail grants.
ALTER TABLE technologies DROP CONSTRAINT technologies_status_check;
ALTER TABLE technologies
    ADD CONSTRAINT technologies_status_check CHECK (status IN
        ('draft', 'submitted', 'returned', 'published', 'under-negotiation', 'transferred', 'withdrawn', 'expired')),
    ADD COLUMN translations     jsonb         NOT NULL DEFAULT '[]',
    ADD COLUMN fields           text[]        NOT NULL DEFAULT '{}',
    ADD COLUMN stage            text          NULL,
    ADD COLUMN ip_records       jsonb         NOT NULL DEFAULT '[]',
    ADD COLUMN ip_types         text[]        NOT NULL DEFAULT '{}',
    ADD COLUMN owners           jsonb         NOT NULL DEFAULT '[]',
    ADD COLUMN transfer_modes   text[]        NOT NULL DEFAULT '{}',
    ADD COLUMN pricing_mode     text          NOT NULL DEFAULT 'negotiated',
    ADD COLUMN price            numeric(20,2) NULL,
    ADD COLUMN currency         text          NULL,
    ADD COLUMN target_countries text[]        NOT NULL DEFAULT '{}',
    ADD COLUMN contact          jsonb         NULL,
    ADD COLUMN expires_on       date          NULL,
    ADD COLUMN submitted_at     timestamptz   NULL,
    ADD COLUMN return_reasons   text          NULL,
    ADD COLUMN closed_at        timestamptz   NULL;

CREATE INDEX technologies_public ON technologies (published_at DESC, id)
    WHERE status IN ('published', 'under-negotiation', 'transferred');
CREATE INDEX technologies_fields ON technologies USING gin (fields);
CREATE INDEX technologies_countries ON technologies USING gin (target_countries);
CREATE INDEX technologies_moderation ON technologies (submitted_at, id) WHERE status = 'submitted';
CREATE INDEX technologies_expiry ON technologies (expires_on) WHERE status IN ('published', 'under-negotiation');

-- One row per version: who did what, when, and the technology as it was afterwards (public part only; the
-- confidential detail is never copied here, only whether it changed).
CREATE TABLE technology_versions (
    technology_id         uuid        NOT NULL REFERENCES technologies (id),
    version               integer     NOT NULL,
    action                text        NOT NULL,
    status                text        NOT NULL,
    actor_user_id         uuid        NULL,
    actor_organisation_id uuid        NULL,
    reason                text        NULL,
    confidential_changed  boolean     NOT NULL DEFAULT false,
    snapshot              jsonb       NOT NULL,
    at                    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (technology_id, version)
);

-- Organisations other than the owner allowed to read the confidential detail (granted by the owner, or by an NDA).
CREATE TABLE technology_access_grants (
    technology_id   uuid        NOT NULL REFERENCES technologies (id),
    organisation_id uuid        NOT NULL,
    granted_by      uuid        NULL,
    source          text        NOT NULL DEFAULT 'owner',
    granted_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (technology_id, organisation_id)
);
