CREATE TABLE organisations (
    id                  uuid PRIMARY KEY,
    name                text        NOT NULL,
    type                text        NOT NULL CHECK (type IN ('institution', 'company', 'registration-station', 'service-agency')),
    country             char(2)     NOT NULL,
    region_code         text        NULL,
    legal_person_nature text        NULL,
    verified_at         timestamptz NULL,
    verified_by         uuid        NULL,
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisations_name ON organisations (lower(name));

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    email           text        NOT NULL,
    display_name    text        NOT NULL,
    password_hash   text        NOT NULL,
    failed_logins   integer     NOT NULL DEFAULT 0,
    locked_until    timestamptz NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE memberships (
    user_id         uuid NOT NULL REFERENCES users (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    role            text NOT NULL CHECK (role IN ('platform-admin', 'institution-member', 'company-member', 'station-officer', 'expert')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, organisation_id, role)
);

-- Refresh tokens are stored as SHA-256 hashes; each use replaces the token, and reuse of a replaced one revokes its family.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id),
    family_id   uuid        NOT NULL,
    token_hash  bytea       NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    replaced_at timestamptz NULL,
    revoked_at  timestamptz NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
