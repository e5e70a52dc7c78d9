-- The W3C trace context an operation continues (issue 14, tracing): the executor runs it later, on another thread
-- or replica, and joins the trace of the intake that recorded it. A pending change keeps its event's trace too.
-- traceparent is 55 characters (version 00); tracestate at most 512 (W3C).
ALTER TABLE operation ADD COLUMN trace_parent VARCHAR(55);
ALTER TABLE operation ADD COLUMN trace_state VARCHAR(512);
ALTER TABLE pending_change ADD COLUMN trace_parent VARCHAR(55);
ALTER TABLE pending_change ADD COLUMN trace_state VARCHAR(512);
