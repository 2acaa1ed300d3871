-- The effect of the test consumer: one row per handled delivery.
CREATE TABLE effects (
    id          bigserial PRIMARY KEY,
    text        text        NOT NULL,
    correlation text        NULL,
    handled_at  timestamptz NOT NULL DEFAULT now()
);
