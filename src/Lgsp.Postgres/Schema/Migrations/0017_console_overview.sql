-- The console's overview counts a month of traffic per day. Each count reads only its window of an
-- index on the time it counts (an index-only scan once the visibility map is current), so the
-- overview's cost follows the month's traffic, not the size of the store.
CREATE INDEX package_received_document ON lgsp.package (received_at) WHERE kind = 'document';
CREATE INDEX delivery_delivered_at ON lgsp.delivery (delivered_at) WHERE delivered_at IS NOT NULL;
CREATE INDEX delivery_acknowledged_at ON lgsp.delivery (acknowledged_at) WHERE acknowledged_at IS NOT NULL;
