-- Repeatable creates (DESIGN §4): a CREATE operation's Repeatability-Request-ID and Repeatability-First-Sent,
-- stored in the commit that counts its first attempt, before ACS is called, and sent again by every later attempt,
-- so that a retried create returns the identity ACS made the first time instead of making a second one.
ALTER TABLE operation ADD COLUMN create_request_id VARCHAR(36);
ALTER TABLE operation ADD COLUMN create_first_sent TIMESTAMP WITH TIME ZONE;

-- When an operator's `orphans delete` re-sent a possibly orphaned create and dealt with what ACS returned: the
-- create no longer counts as a possible orphan.
ALTER TABLE operation ADD COLUMN orphan_settled_at TIMESTAMP WITH TIME ZONE;
