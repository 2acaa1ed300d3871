-- Experts as the experts service announces them (ExpertProfileUpdated / ExpertAvailabilityChanged), to choose the
-- reviewers of large or disputed contracts without conflicts of interest; and the reviewers chosen per case.
CREATE TABLE experts (
    id                 uuid PRIMARY KEY,
    version            integer     NOT NULL,
    name               text        NOT NULL,
    organisation_id    uuid        NULL,
    organisation_name  text        NULL,
    country            text        NOT NULL,
    fields             text[]      NOT NULL,
    languages          text[]      NOT NULL,
    available          boolean     NOT NULL,
    declared_conflicts uuid[]      NOT NULL,
    updated_at         timestamptz NOT NULL
);
ALTER TABLE submissions ADD COLUMN reviewers uuid[] NULL;
