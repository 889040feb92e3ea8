-- A hub caller (a child hub's inbound system) sees the packages its hub forwarded here: the packages
-- whose last hop is that hub (getSentEdocList, GetDeliveries, GetTrace). The child follows its
-- forwards' state through that list from a watermark (a package id), so the list is read by
-- (last hop, id) without a scan of every package.
CREATE INDEX package_forwarded_by ON lgsp.package ((hops[cardinality(hops)]), id) WHERE cardinality(hops) > 0;

-- The child's side: the forwards it still follows are the delivered push deliveries via its parent.
CREATE INDEX delivery_forward_followed ON lgsp.delivery (via_hub, delivered_at) WHERE state = 'delivered' AND mode = 'push' AND via_hub IS NOT NULL;
