-- Follows the technology's lifecycle (TechnologyUpdated / Withdrawn / Transferred) and keeps the matching facts.
ALTER TABLE technologies
    ADD COLUMN status           text   NOT NULL DEFAULT 'published',
    ADD COLUMN fields           text[] NOT NULL DEFAULT '{}',
    ADD COLUMN transfer_modes   text[] NOT NULL DEFAULT '{}',
    ADD COLUMN target_countries text[] NOT NULL DEFAULT '{}',
    ADD COLUMN pricing_mode     text   NOT NULL DEFAULT 'negotiated';
