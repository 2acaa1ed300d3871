-- Deals registered against a technology (from registration's ContractRegistered).
ALTER TABLE technologies
    ADD COLUMN deals_count              integer     NOT NULL DEFAULT 0,
    ADD COLUMN last_deal_at             timestamptz NULL,
    ADD COLUMN last_registration_number text        NULL;
