-- Tamper evidence for the ledger (docs/audit.md, docs/adr/0004-ledger-sealing-horizon.md).
-- A sealer chains committed entries in seq order and signs a checkpoint; lgsp.ledger itself stays
-- INSERT-only, so the chain lives beside it in lgsp.ledger_seal and lgsp.checkpoint.

-- Sealing must never pass a seq that may still commit: bigserial values are drawn before commit,
-- so seq 10 may commit after seq 11. Every seq is therefore drawn by a transaction that already has
-- its transaction id (and so holds the lock on it): the sealer reads the sequence, then waits until
-- every transaction of this database that held an id at that moment has ended; after that, every
-- seq up to the value read is committed or never will be (docs/adr/0004-ledger-sealing-horizon.md).
CREATE FUNCTION lgsp.next_ledger_seq() RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_current_xact_id();
    RETURN nextval('lgsp.ledger_seq_seq');
END
$$;
COMMENT ON FUNCTION lgsp.next_ledger_seq() IS
    'Draws a ledger seq after giving the calling transaction its id: the only way to draw one.';

ALTER TABLE lgsp.ledger ALTER COLUMN seq SET DEFAULT lgsp.next_ledger_seq();

-- One row per seal: the signed checkpoint and the range it covers. Append-only.
CREATE TABLE lgsp.checkpoint (
    id                  bigserial PRIMARY KEY,
    first_seq           bigint NOT NULL UNIQUE,
    last_seq            bigint NOT NULL UNIQUE CHECK (last_seq >= first_seq),
    count               bigint NOT NULL CHECK (count >= 1),
    previous_head       bytea NOT NULL CHECK (length(previous_head) = 32),
    head                bytea NOT NULL CHECK (length(head) = 32),
    sealed_at           timestamptz NOT NULL,
    xml                 bytea NOT NULL              -- the signed checkpoint (urn:lgsp:ledger:1)
);

-- One row per sealed entry: its content hash and chain hash at sealing time, so that a verifier
-- names the exact entry that changed. Append-only.
CREATE TABLE lgsp.ledger_seal (
    seq                 bigint PRIMARY KEY,         -- the entry's seq; deliberately no foreign key
    checkpoint_id       bigint NOT NULL REFERENCES lgsp.checkpoint (id),
    content_hash        bytea NOT NULL,
    chain_hash          bytea NOT NULL
);

-- Enforcement, whatever role connects (the embedded cluster's only role is a superuser, which no
-- privilege binds): rows of these tables are never updated or deleted, the tables never truncated.
-- Only someone who deliberately disables the triggers gets past this; the chain then shows it.
CREATE FUNCTION lgsp.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'lgsp.% is append-only: % is refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON lgsp.ledger FOR EACH ROW EXECUTE FUNCTION lgsp.refuse_change();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON lgsp.ledger FOR EACH STATEMENT EXECUTE FUNCTION lgsp.refuse_change();
CREATE TRIGGER ledger_seal_append_only BEFORE UPDATE OR DELETE ON lgsp.ledger_seal FOR EACH ROW EXECUTE FUNCTION lgsp.refuse_change();
CREATE TRIGGER ledger_seal_no_truncate BEFORE TRUNCATE ON lgsp.ledger_seal FOR EACH STATEMENT EXECUTE FUNCTION lgsp.refuse_change();
CREATE TRIGGER checkpoint_append_only BEFORE UPDATE OR DELETE ON lgsp.checkpoint FOR EACH ROW EXECUTE FUNCTION lgsp.refuse_change();
CREATE TRIGGER checkpoint_no_truncate BEFORE TRUNCATE ON lgsp.checkpoint FOR EACH STATEMENT EXECUTE FUNCTION lgsp.refuse_change();

-- And by privilege, for a role that is not a superuser: the role running the migrations (the one
-- the hub connects as) gives up its own right to change these tables, as does everyone else.
REVOKE UPDATE, DELETE, TRUNCATE ON lgsp.ledger, lgsp.ledger_seal, lgsp.checkpoint FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON lgsp.ledger, lgsp.ledger_seal, lgsp.checkpoint FROM %I', current_user);
END
$$;
