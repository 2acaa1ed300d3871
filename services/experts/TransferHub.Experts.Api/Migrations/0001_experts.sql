-- The expert directory (profiles arrive with the experts issue); contact details stay hidden until a request is accepted.
CREATE TABLE experts (
    id              uuid PRIMARY KEY,
    user_id         uuid        NULL,
    display_name    text        NOT NULL,
    country         char(2)     NOT NULL,
    languages       text[]      NOT NULL DEFAULT '{}',
    fields          text[]      NOT NULL DEFAULT '{}',
    is_commissioner boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now()
);
