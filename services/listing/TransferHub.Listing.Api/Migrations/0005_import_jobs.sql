-- Bulk imports of technologies from CSV / XLSX: one job per uploaded file, all rows or none.
CREATE TABLE import_jobs (
    id              uuid        PRIMARY KEY,
    organisation_id uuid        NOT NULL,
    user_id         uuid        NOT NULL,
    file_name       text        NOT NULL,
    format          text        NOT NULL CHECK (format IN ('csv', 'xlsx')),
    status          text        NOT NULL CHECK (status IN ('queued', 'validating', 'importing', 'completed', 'failed')),
    total_rows      integer     NOT NULL DEFAULT 0,
    processed_rows  integer     NOT NULL DEFAULT 0,
    created_count   integer     NOT NULL DEFAULT 0,
    errors          jsonb       NOT NULL DEFAULT '[]',
    message         text        NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz NULL
);
CREATE INDEX import_jobs_organisation ON import_jobs (organisation_id, created_at DESC);
