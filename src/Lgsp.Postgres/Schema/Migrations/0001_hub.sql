-- The hub's system of record. Hangfire keeps its own schema ("hangfire"); nothing here depends on it.

CREATE SCHEMA IF NOT EXISTS lgsp;

-- The directory: every agency this hub knows, with its place in the hierarchy (data, never digits).
CREATE TABLE lgsp.agency (
    code            text PRIMARY KEY,
    name            text NOT NULL,
    parent_code     text NULL,
    tier            text NOT NULL,                  -- central | province | department | district | commune | other
    active          boolean NOT NULL DEFAULT true,
    successor_code  text NULL REFERENCES lgsp.agency (code),
    push_endpoint   text NULL,                      -- absolute http(s) URL; null: the agency pulls
    changed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agency_changed_at ON lgsp.agency (changed_at);

-- Certificates an agency signs with (the envelope signer must be one of its agency's).
CREATE TABLE lgsp.agency_certificate (
    agency_code     text NOT NULL REFERENCES lgsp.agency (code),
    sha256          bytea NOT NULL,                 -- of the DER certificate
    subject         text NOT NULL,
    not_after       timestamptz NOT NULL,
    certificate     bytea NOT NULL,
    added_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_code, sha256)
);

-- Client systems (agencies' document-management software) and the agencies each may act for.
CREATE TABLE lgsp.client_system (
    id              text PRIMARY KEY,
    secret_hash     text NOT NULL,                  -- PBKDF2, see Lgsp.Exchange.Directory.SecretHash
    policy          text NOT NULL CHECK (policy IN ('strict', 'legacy')),
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE lgsp.client_system_agency (
    system_id       text NOT NULL REFERENCES lgsp.client_system (id),
    agency_code     text NOT NULL REFERENCES lgsp.agency (code),
    PRIMARY KEY (system_id, agency_code)
);

-- Trust material: roots and intermediates signers must chain to, and CRLs.
CREATE TABLE lgsp.trust_certificate (
    sha256          bytea PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('root', 'intermediate')),
    subject         text NOT NULL,
    certificate     bytea NOT NULL,
    added_at        timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE lgsp.crl (
    sha256          bytea PRIMARY KEY,
    issuer          text NOT NULL,
    this_update     timestamptz NOT NULL,
    data            bytea NOT NULL,
    added_at        timestamptz NOT NULL DEFAULT now()
);

-- Every accepted package, stored once with the exact bytes the sender sent.
CREATE TABLE lgsp.package (
    id                  bigserial PRIMARY KEY,
    kind                text NOT NULL CHECK (kind IN ('document', 'status')),
    sender_system       text NOT NULL,
    from_agency         text NOT NULL,
    document_id         text NOT NULL,              -- a status: ResponseFor.DocumentId
    sha256              bytea NOT NULL,
    size                integer NOT NULL,
    body                bytea NOT NULL,
    received_at         timestamptz NOT NULL,
    business_type       smallint NULL,              -- documents: 0 new, 1 revoke, 2 update, 3 replace
    status_code         text NULL,                  -- statuses
    status_target       text NULL,                  -- statuses: the agency the status is for
    code_number         text NULL,
    code_notation       text NULL,
    subject             text NULL,
    legacy              boolean NOT NULL,           -- accepted under the legacy policy
    signature           text NOT NULL,              -- unsigned | placeholder | valid
    signer_subject      text NULL,
    signer_sha256       bytea NULL,
    ledger_seq          bigint NOT NULL,
    receipt             bytea NOT NULL,
    UNIQUE (from_agency, document_id, sha256, kind)
);
-- One new document per DocumentId and sender; updates and replacements may reuse the identifier.
CREATE UNIQUE INDEX package_new_document ON lgsp.package (from_agency, document_id)
    WHERE kind = 'document' AND business_type IN (0, 1);
-- Statuses are idempotent per (sender, document, code), except 05 which may repeat.
CREATE UNIQUE INDEX package_status_once ON lgsp.package (from_agency, document_id, status_target, status_code)
    WHERE kind = 'status' AND status_code <> '05';
CREATE INDEX package_document ON lgsp.package (document_id);

-- One delivery per (package, recipient): Pending → Delivered → Acknowledged, or → Retrying → Failed.
CREATE TABLE lgsp.delivery (
    id                  bigserial PRIMARY KEY,
    package_id          bigint NOT NULL REFERENCES lgsp.package (id),
    recipient           text NOT NULL,              -- the agency that gets it (after successor links)
    addressed_to        text NOT NULL,              -- the code the sender wrote
    mode                text NOT NULL CHECK (mode IN ('pull', 'push')),
    state               text NOT NULL CHECK (state IN ('pending', 'retrying', 'delivered', 'acknowledged', 'failed')),
    attempts            integer NOT NULL DEFAULT 0,
    last_error          text NULL,
    next_attempt_at     timestamptz NULL,
    lease_until         timestamptz NULL,           -- a push job holds the delivery until then
    delivered_at        timestamptz NULL,
    acknowledged_at     timestamptz NULL,
    last_status_code    text NULL,                  -- documents: the recipient's latest business status
    created_at          timestamptz NOT NULL,
    UNIQUE (package_id, recipient)
);
CREATE INDEX delivery_inbox ON lgsp.delivery (recipient, id) WHERE state IN ('pending', 'delivered');
CREATE INDEX delivery_push_due ON lgsp.delivery (next_attempt_at) WHERE mode = 'push' AND state IN ('pending', 'retrying');
CREATE INDEX delivery_state ON lgsp.delivery (state);

CREATE TABLE lgsp.delivery_attempt (
    id                  bigserial PRIMARY KEY,
    delivery_id         bigint NOT NULL REFERENCES lgsp.delivery (id),
    number              integer NOT NULL,
    started_at          timestamptz NOT NULL,
    finished_at         timestamptz NOT NULL,
    outcome             text NOT NULL CHECK (outcome IN ('delivered', 'transient', 'permanent')),
    error               text NULL
);

-- The append-only ledger: every state change, written in the same transaction as the change.
CREATE TABLE lgsp.ledger (
    seq                 bigserial PRIMARY KEY,
    at                  timestamptz NOT NULL,
    kind                text NOT NULL,
    actor               text NOT NULL,
    package_id          bigint NULL,
    document_id         text NULL,
    delivery_id         bigint NULL,
    detail              jsonb NOT NULL
);
CREATE INDEX ledger_document ON lgsp.ledger (document_id, seq);
