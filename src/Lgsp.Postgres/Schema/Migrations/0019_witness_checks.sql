-- The console runs witness-check in the hub's background as it runs verify-ledger: a row of
-- lgsp.ledger_check of kind 'witness-check' (one running at a time, as for each kind). For it,
-- to_seq is the last seq a stored countersignature covers, checkpoints the witnessed heads found
-- matching and sealed_entries the entries recomputed from genesis.
ALTER TABLE lgsp.ledger_check DROP CONSTRAINT ledger_check_kind_check;
ALTER TABLE lgsp.ledger_check ADD CONSTRAINT ledger_check_kind_check CHECK (kind IN ('verify-ledger', 'witness-check'));

-- The hub links screen: when this hub last polled its parent successfully (both lists answered),
-- written by the parent poller each cycle, kept when later. A child's last poll is its inbound
-- system's lgsp.client_system.last_call_at.
ALTER TABLE lgsp.hub ADD COLUMN last_poll_at timestamptz;
