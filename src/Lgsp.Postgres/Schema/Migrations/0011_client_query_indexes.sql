-- Indexes for the queries a client can trigger, so that none of them costs a scan of a table that
-- grows with the hub's traffic (docs/security.md, "Limits").

-- updateStatus processing records a delivery's processing once: it looks for an earlier
-- delivery.processing entry of that delivery. Without this index that was a scan of the whole ledger
-- per call. Partial: only entries that name a delivery are looked up this way.
CREATE INDEX ledger_delivery_kind ON lgsp.ledger (delivery_id, kind) WHERE delivery_id IS NOT NULL;

-- getAgenciesList and getSynchronizeUnit give each agency the code it replaced (an agency whose
-- successor it is); the listing joins on successor_code.
CREATE INDEX agency_successor ON lgsp.agency (successor_code) WHERE successor_code IS NOT NULL;
