-- Hubs talking to hubs: the other hubs this one knows, which hub serves each agency, where each
-- delivery is forwarded, and the secrets the axis protocol's HMAC scheme needs in recoverable form.

-- Another hub: the parent (towards the national axis; at most one) or a child (a hub below this one).
CREATE TABLE lgsp.hub (
    id              text PRIMARY KEY,
    role            text NOT NULL CHECK (role IN ('parent', 'child')),
    base_url        text NOT NULL,                  -- its axis-protocol base URL, e.g. https://lgsp.example.gov.vn/vxp
    system_id       text NOT NULL,                  -- the system id this hub presents when calling it
    secret_box      bytea NOT NULL,                 -- the secret this hub presents, sealed (Lgsp.Exchange.Directory.SecretBox)
    inbound_system  text NULL REFERENCES lgsp.client_system (id), -- the client system it uses when calling this hub
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX hub_one_parent ON lgsp.hub ((true)) WHERE role = 'parent' AND active;

-- Null: this hub serves the agency; otherwise the hub that does (a child, or the parent for agencies
-- known to be beyond it).
ALTER TABLE lgsp.agency ADD COLUMN served_by text NULL REFERENCES lgsp.hub (id);

-- Null: delivered by this hub to the recipient's system; otherwise the hub the package is forwarded to.
ALTER TABLE lgsp.delivery ADD COLUMN via_hub text NULL REFERENCES lgsp.hub (id);
CREATE INDEX delivery_via_hub ON lgsp.delivery (via_hub, state) WHERE via_hub IS NOT NULL;

-- The client system's secret sealed with the hub's secret key: the axis protocol's HMAC needs the
-- secret itself, not a hash. Null for systems registered before, until their secret is set again.
ALTER TABLE lgsp.client_system ADD COLUMN secret_box bytea NULL;
