-- Amendments and terminations are registered against the original number: a submission of kind 'amendment' or
-- 'termination' names the registration it changes; its own number is the original's plus -A1, -A2 … or -T.
ALTER TABLE submissions
    ADD COLUMN kind          text NOT NULL DEFAULT 'contract',   -- contract | amendment | termination
    ADD COLUMN amends_number text NULL REFERENCES certificates (registration_number);
CREATE INDEX submissions_amends ON submissions (amends_number) WHERE amends_number IS NOT NULL;
CREATE UNIQUE INDEX submissions_one_open_change ON submissions (amends_number)
    WHERE amends_number IS NOT NULL AND status IN ('draft', 'submitted', 'supplement-requested');
ALTER TABLE certificates ADD COLUMN revoked_reason text NULL;
ALTER TABLE submissions ADD COLUMN change_reason text NULL;   -- why an amendment or termination is registered
