-- Dead letter and replay: a stable error code per failed attempt, when a delivery failed, and a fresh
-- attempt budget after a replay without touching the attempts made before it.

-- The machine-readable kind of error (http-503, timeout, connection-refused, no-endpoint,
-- confirm-fail, ...): see Lgsp.Exchange.Delivery.DeliveryErrorCode. Free-text errors stay in
-- last_error and delivery_attempt.error.
ALTER TABLE lgsp.delivery ADD COLUMN last_error_code text NULL;
ALTER TABLE lgsp.delivery_attempt ADD COLUMN error_code text NULL;

-- When the delivery last entered the failed state (what `lgsp replay --since` filters on).
ALTER TABLE lgsp.delivery ADD COLUMN failed_at timestamptz NULL;
UPDATE lgsp.delivery d SET failed_at = coalesce((SELECT max(a.finished_at) FROM lgsp.delivery_attempt a WHERE a.delivery_id = d.id), d.created_at)
WHERE d.state = 'failed';

-- Attempts made before the latest replay: they do not count against the retry policy's limit
-- after it. Attempt rows keep their numbers; none is edited or deleted.
ALTER TABLE lgsp.delivery ADD COLUMN attempt_base integer NOT NULL DEFAULT 0;
ALTER TABLE lgsp.delivery ADD COLUMN replayed_at timestamptz NULL;

CREATE INDEX delivery_failed ON lgsp.delivery (failed_at) WHERE state = 'failed';
