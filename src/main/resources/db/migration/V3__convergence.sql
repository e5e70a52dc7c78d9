-- Convergence (DESIGN §3): what the fold of a person's history needs, and when their identity was requested.
-- Portable between PostgreSQL and H2 (MODE=PostgreSQL).

-- The compacted history of each person: the latest onboarding or offboarding, the latest offboarding, and the
-- latest suspension and reinstatement after the former (at most four rows; core.PersonTimeline says why no
-- discarded event can matter again).
CREATE TABLE person_history (
    external_id  VARCHAR(256)  NOT NULL,
    event_time   TIMESTAMP WITH TIME ZONE NOT NULL,
    event_source VARCHAR(1024) NOT NULL,
    event_id     VARCHAR(128)  NOT NULL,
    event_type   VARCHAR(16)   NOT NULL,
    PRIMARY KEY (external_id, event_source, event_id)
);

-- The newest event of the history when the person's identity was requested: an identity requested before the
-- person's latest offboarding belongs to a leaver, even when that offboarding arrives late. Empty in rows from
-- before this migration; their last event stands in for it.
ALTER TABLE person ADD COLUMN identity_since_time TIMESTAMP WITH TIME ZONE;
ALTER TABLE person ADD COLUMN identity_since_source VARCHAR(1024);
ALTER TABLE person ADD COLUMN identity_since_id VARCHAR(128);
