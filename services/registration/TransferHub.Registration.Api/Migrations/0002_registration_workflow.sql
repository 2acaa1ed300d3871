-- The registration workflow (issue 6): the 21 stations of the province, the organisations registration knows (from
-- identity's events), submissions with their clocks and decisions, gap-free serials, certificates and the
-- hash-chained audit. The skeleton's submissions table never held rows; it is replaced.

-- Stations: the province's 21 technical-contract certification and registration stations. Codes are province (2) +
-- prefecture (2) + station (2) digits, as the registration number uses them. The set below is illustrative reference
-- data (the seeds give the count, not the list): one provincial station, one per prefecture, four district stations
-- in Kunming. Change it with a migration, not in code.
INSERT INTO stations (code, name_zh, name_en, region_codes) VALUES
    ('530001', '云南省技术合同认定登记站', 'Yunnan Provincial Technology Contract Registration Station', ARRAY['530000']),
    ('530102', '五华区技术合同认定登记站', 'Wuhua District Technology Contract Registration Station', ARRAY['530102']),
    ('530103', '呈贡区技术合同认定登记站', 'Chenggong District Technology Contract Registration Station', ARRAY['530114']),
    ('530104', '官渡区技术合同认定登记站', 'Guandu District Technology Contract Registration Station', ARRAY['530111']),
    ('530105', '盘龙区技术合同认定登记站', 'Panlong District Technology Contract Registration Station', ARRAY['530103']),
    ('530301', '曲靖市技术合同认定登记站', 'Qujing Technology Contract Registration Station', ARRAY['530300']),
    ('530501', '保山市技术合同认定登记站', 'Baoshan Technology Contract Registration Station', ARRAY['530500']),
    ('530601', '昭通市技术合同认定登记站', 'Zhaotong Technology Contract Registration Station', ARRAY['530600']),
    ('530701', '丽江市技术合同认定登记站', 'Lijiang Technology Contract Registration Station', ARRAY['530700']),
    ('530801', '普洱市技术合同认定登记站', 'Pu''er Technology Contract Registration Station', ARRAY['530800']),
    ('530901', '临沧市技术合同认定登记站', 'Lincang Technology Contract Registration Station', ARRAY['530900']),
    ('532301', '楚雄州技术合同认定登记站', 'Chuxiong Prefecture Technology Contract Registration Station', ARRAY['532300']),
    ('532501', '红河州技术合同认定登记站', 'Honghe Prefecture Technology Contract Registration Station', ARRAY['532500']),
    ('532601', '文山州技术合同认定登记站', 'Wenshan Prefecture Technology Contract Registration Station', ARRAY['532600']),
    ('532801', '西双版纳州技术合同认定登记站', 'Xishuangbanna Prefecture Technology Contract Registration Station', ARRAY['532800']),
    ('532901', '大理州技术合同认定登记站', 'Dali Prefecture Technology Contract Registration Station', ARRAY['532900']),
    ('533101', '德宏州技术合同认定登记站', 'Dehong Prefecture Technology Contract Registration Station', ARRAY['533100']),
    ('533301', '怒江州技术合同认定登记站', 'Nujiang Prefecture Technology Contract Registration Station', ARRAY['533300']),
    ('533401', '迪庆州技术合同认定登记站', 'Diqing Prefecture Technology Contract Registration Station', ARRAY['533400'])
ON CONFLICT (code) DO NOTHING;
CREATE UNIQUE INDEX stations_organisation ON stations (organisation_id) WHERE organisation_id IS NOT NULL;

-- Organisations as identity announced them (OrganisationRegistered / OrganisationVerified): where a party is, which
-- decides the competent station, comes from here and not from what a submitter types.
CREATE TABLE organisations (
    id                  uuid PRIMARY KEY,
    name                text        NOT NULL,
    type                text        NOT NULL,
    country             text        NOT NULL,
    region_code         text        NULL,
    legal_person_nature text        NULL,
    verified            boolean     NOT NULL DEFAULT false,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

DROP TABLE submissions;
CREATE TABLE submissions (
    id                  uuid PRIMARY KEY,
    version             integer       NOT NULL,
    status              text          NOT NULL,   -- draft, submitted, supplement-requested, registered, refused
    registrant_org_id   uuid          NOT NULL,
    created_by          uuid          NOT NULL,
    title               text          NOT NULL,
    category            text          NOT NULL,
    sub_category        text          NOT NULL,
    our_role            text          NOT NULL,   -- provider | recipient (a domestic recipient registers an import)
    parties             jsonb         NOT NULL,   -- the other parties, as typed
    contract_amount     numeric(18,2) NOT NULL,
    currency            text          NOT NULL,
    costs               jsonb         NOT NULL,
    field               text          NOT NULL,
    ip                  jsonb         NOT NULL,
    contract_language   text          NOT NULL,
    documents           jsonb         NOT NULL,
    signed_on           date          NOT NULL,
    technology_id       uuid          NULL,
    requested_station   text          NULL REFERENCES stations (code),
    station_code        text          NULL REFERENCES stations (code),
    competent_station   text          NULL REFERENCES stations (code),   -- differs from station_code when misrouted
    clock               jsonb         NOT NULL DEFAULT '[]',
    due_on              date          NULL,
    expert_review_due_on date         NULL,
    supplement_reasons  text[]        NULL,
    claimed_by          uuid          NULL,
    claimed_at          timestamptz   NULL,
    submitted_at        timestamptz   NULL,
    decided_by          uuid          NULL,
    decided_at          timestamptz   NULL,
    decision            jsonb         NULL,       -- category, amounts, rate, notes, refusal codes
    registration_number text          NULL UNIQUE,
    created_at          timestamptz   NOT NULL DEFAULT now(),
    updated_at          timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX submissions_registrant ON submissions (registrant_org_id, created_at DESC);
CREATE INDEX submissions_queue ON submissions (station_code, status, due_on) WHERE status IN ('submitted', 'supplement-requested');

-- The last serial given per station and year: taken with the registration in one transaction (row lock), so a rolled
-- back registration gives its serial back and numbers stay gap-free.
CREATE TABLE registration_serials (
    station_code text    NOT NULL REFERENCES stations (code),
    year         integer NOT NULL,
    last_serial  integer NOT NULL,
    PRIMARY KEY (station_code, year)
);

-- Certificates: the canonical content that was hashed and signed with the station's key, kept verbatim.
CREATE TABLE certificates (
    registration_number text PRIMARY KEY,
    submission_id       uuid        NOT NULL UNIQUE REFERENCES submissions (id),
    station_code        text        NOT NULL REFERENCES stations (code),
    content             text        NOT NULL,
    content_hash        text        NOT NULL,
    signature           text        NOT NULL,
    key_id              text        NOT NULL,
    status              text        NOT NULL DEFAULT 'valid',
    issued_at           timestamptz NOT NULL
);

-- Tamper-evident audit: every state change, each entry's hash covering the previous entry's hash.
CREATE TABLE audit_log (
    seq           bigint PRIMARY KEY,
    submission_id uuid        NOT NULL,
    action        text        NOT NULL,
    actor         uuid        NULL,
    at            timestamptz NOT NULL,
    data          text        NOT NULL,
    prev_hash     text        NOT NULL,
    hash          text        NOT NULL
);
CREATE INDEX audit_log_submission ON audit_log (submission_id, seq);
