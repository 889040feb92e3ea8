-- The console's ledger checks (verify-ledger run in the hub): who started one, when, over which
-- range, how far it got and what it found. A row is written at the start and finished once; a
-- check reads the ledger and changes nothing in the exchange, so the row (naming user:NAME) is its
-- record, not a ledger entry that would move the head under the walk.
CREATE TABLE lgsp.ledger_check (
    id                  bigserial PRIMARY KEY,
    kind                text NOT NULL CHECK (kind IN ('verify-ledger')),
    started_by          text NOT NULL,              -- user:NAME
    started_at          timestamptz NOT NULL,
    from_seq            bigint NOT NULL,
    to_seq              bigint NOT NULL,            -- the ledger's last seq when it started
    checked_through     bigint NULL,                -- progress: the last seq walked
    progress_at         timestamptz NOT NULL,       -- heartbeat; a running row without one for long is abandoned
    finished_at         timestamptz NULL,
    outcome             text NULL CHECK (outcome IN ('holds', 'broken', 'failed', 'abandoned')),
    break_seq           bigint NULL,
    problem             text NULL,                  -- the first break, or why the check failed
    sealed_entries      bigint NULL,
    checkpoints         integer NULL,
    head                text NULL,
    CHECK ((finished_at IS NULL) = (outcome IS NULL))
);

-- One check of a kind at a time per hub (a hub has its own database): a second start conflicts.
CREATE UNIQUE INDEX ledger_check_running ON lgsp.ledger_check (kind) WHERE finished_at IS NULL;

-- The console's action log reads the entries people made in the console, newest first.
CREATE INDEX ledger_console_actions ON lgsp.ledger (seq) WHERE actor LIKE 'user:%';
