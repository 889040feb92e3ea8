-- The console's client-systems screen: when each system last called (kept to the minute, written at
-- most once a minute per system by the authenticators), and its refusals by code, read from the
-- ledger's package.refused entries through a partial index (refusals are few beside the rest).
ALTER TABLE lgsp.client_system ADD COLUMN last_call_at timestamptz;

CREATE INDEX ledger_refused_system ON lgsp.ledger ((detail ->> 'system'), at) WHERE kind = 'package.refused';
