-- What statistics count: the decided category, the registration date (China Standard Time) and both amounts in CNY at
-- the recorded rate, set when a contract is registered.
ALTER TABLE submissions
    ADD COLUMN registered_on         date          NULL,
    ADD COLUMN registered_category   text          NULL,
    ADD COLUMN contract_amount_cny   numeric(18,2) NULL,
    ADD COLUMN technology_amount_cny numeric(18,2) NULL;
CREATE INDEX submissions_registered ON submissions (registered_on, station_code) WHERE status = 'registered';
