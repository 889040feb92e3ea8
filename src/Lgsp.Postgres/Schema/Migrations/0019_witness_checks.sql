-- The console runs witness-check in the hub's background as it runs verify-ledger: a row of
-- lgsp.ledger_check of kind 'witness-check' (one running at a time, as for each kind). For it,
-- to_seq is the last seq a stored countersignature covers, checkpoints the witnessed heads found
-- matching and sealed_entries the entries recomputed from genesis.
ALTER TABLE lgsp.ledger_check DROP CONSTRAINT ledger_check_kind_check;
ALTER TABLE lgsp.ledger_check ADD CONSTRAINT ledger_check_kind_check CHECK (kind IN ('verify-ledger', 'witness-check'));
