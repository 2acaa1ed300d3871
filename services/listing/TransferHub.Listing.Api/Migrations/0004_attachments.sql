-- Files attached to technologies and needs. The bytes live in the attachment store (local disk by default), named by
-- their SHA-256; this table says whose they are and who may read them.
CREATE TABLE attachments (
    id           uuid        PRIMARY KEY,
    listing_kind text        NOT NULL CHECK (listing_kind IN ('technology', 'need')),
    listing_id   uuid        NOT NULL,
    sha256       text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_type text        NOT NULL,
    size_bytes   bigint      NOT NULL CHECK (size_bytes > 0),
    file_name    text        NOT NULL,
    title        text        NULL,
    visibility   text        NOT NULL CHECK (visibility IN ('public', 'confidential')),
    uploaded_by  uuid        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_listing ON attachments (listing_kind, listing_id, created_at);
