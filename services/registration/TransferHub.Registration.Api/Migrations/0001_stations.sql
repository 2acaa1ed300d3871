-- Technical-contract certification and registration stations (reference data; the full set of 21 is seeded with the
-- registration workflow). A station's officers are members of its identity organisation.
CREATE TABLE stations (
    code            text PRIMARY KEY,
    organisation_id uuid        NULL,
    name_zh         text        NOT NULL,
    name_en         text        NOT NULL,
    region_codes    text[]      NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE submissions (
    id              uuid PRIMARY KEY,
    station_code    text        NOT NULL REFERENCES stations (code),
    seller_org_id   uuid        NOT NULL,
    status          text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX submissions_station ON submissions (station_code, status, created_at);

INSERT INTO stations (code, name_zh, name_en, region_codes) VALUES
    ('530101', '昆明市技术合同认定登记站', 'Kunming Technology Contract Registration Station', ARRAY['530100']),
    ('530401', '玉溪市技术合同认定登记站', 'Yuxi Technology Contract Registration Station', ARRAY['530400']);
