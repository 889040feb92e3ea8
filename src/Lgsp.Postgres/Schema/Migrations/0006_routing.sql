-- Routing across hubs: what travels beside a package from hub to hub (the hubs it passed through and
-- the previous hub's receipt), the id the next hub gave a forwarded package, and hub records for
-- children this hub never calls (a child polls this hub; only the parent needs an address and secret).

-- The hubs the package passed through before this one, first to last (empty: sent here directly), and
-- SHA-256 (lower-case hex) of the receipt the previous hub issued for it.
ALTER TABLE lgsp.package ADD COLUMN hops text[] NOT NULL DEFAULT '{}';
ALTER TABLE lgsp.package ADD COLUMN previous_receipt_sha256 text NULL;

-- A delivery forwarded to the parent: the id the parent gave the package (its sendEdoc DocId).
ALTER TABLE lgsp.delivery ADD COLUMN peer_doc_id text NULL;

ALTER TABLE lgsp.hub ALTER COLUMN base_url DROP NOT NULL;
ALTER TABLE lgsp.hub ALTER COLUMN system_id DROP NOT NULL;
ALTER TABLE lgsp.hub ALTER COLUMN secret_box DROP NOT NULL;
ALTER TABLE lgsp.hub ADD CONSTRAINT hub_parent_reachable
    CHECK (role <> 'parent' OR (base_url IS NOT NULL AND system_id IS NOT NULL AND secret_box IS NOT NULL));

-- A child hub's pending list: pull deliveries waiting for it.
CREATE INDEX delivery_via_inbox ON lgsp.delivery (via_hub, id) WHERE via_hub IS NOT NULL AND mode = 'pull' AND state IN ('pending', 'delivered');
