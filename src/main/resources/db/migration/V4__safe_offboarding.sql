-- Safe offboarding (DESIGN §3): OFFBOARDED (access cut, deletion pending), legal holds, the deletion breaker.

-- A leaver recorded before this version is DELETED without an identity while the cut-off of that identity is
-- still in the journal: they are OFFBOARDED now, holding the identity until its deletion is done.
UPDATE person SET state = 'OFFBOARDED', acs_user_id = (
        SELECT o.acs_user_id FROM operation o
        WHERE o.external_id = person.external_id AND o.status = 'PENDING' AND o.kind IN ('CUT_OFF', 'DELETE')
          AND o.outcome_type = 'DELETED'
        ORDER BY o.id DESC LIMIT 1)
    WHERE state = 'DELETED' AND acs_user_id IS NULL AND EXISTS (
        SELECT 1 FROM operation o
        WHERE o.external_id = person.external_id AND o.status = 'PENDING' AND o.kind IN ('CUT_OFF', 'DELETE')
          AND o.outcome_type = 'DELETED');
-- Their cut-off, still to do, now tells of the access cut (identity.offboarded) before the deletion.
UPDATE operation SET outcome_type = 'OFFBOARDED'
    WHERE kind = 'CUT_OFF' AND status = 'PENDING' AND outcome_type = 'DELETED'
      AND external_id IN (SELECT external_id FROM person WHERE state = 'OFFBOARDED');

-- A person on legal hold: their deletion waits until the hold is lifted (revocation never waits).
CREATE TABLE legal_hold (
    external_id VARCHAR(256)  PRIMARY KEY,
    reason      VARCHAR(1024) NOT NULL,
    operator    VARCHAR(256)  NOT NULL,
    placed_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A deletion the breaker held (once: its identity.deletion-held went out) and whether an operator released it.
CREATE TABLE deletion_gate (
    operation_id BIGINT PRIMARY KEY,
    external_id  VARCHAR(256)  NOT NULL,
    held_at      TIMESTAMP WITH TIME ZONE,
    released_at  TIMESTAMP WITH TIME ZONE,
    operator     VARCHAR(256),
    reason       VARCHAR(1024)
);
CREATE INDEX deletion_gate_held ON deletion_gate (released_at, held_at);
CREATE INDEX operation_by_kind_status ON operation (kind, status, not_before);
CREATE INDEX operation_by_status_updated ON operation (status, updated_at);

-- A person's pending change (DESIGN §3, effective dating): an event whose data.effectiveTime is still to come.
-- One per person; a newer event (by time) replaces or cancels it. Applied by the executor at its effective time.
CREATE TABLE pending_change (
    external_id    VARCHAR(256)  PRIMARY KEY,
    event_source   VARCHAR(1024) NOT NULL,
    event_id       VARCHAR(128)  NOT NULL,
    event_type     VARCHAR(16)   NOT NULL,
    publisher_type VARCHAR(256)  NOT NULL,
    event_time     TIMESTAMP WITH TIME ZONE NOT NULL,
    effective_time TIMESTAMP WITH TIME ZONE NOT NULL,
    reason         VARCHAR(2048),
    recorded_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
