-- Witnessing across hubs (docs/audit.md, "what witnessing adds"): a child hub sends each signed
-- checkpoint to its parent, which records the head in its own ledger and countersigns it. A child
-- that later rewrites its history can recompute its own chain and re-sign its own checkpoints, but
-- it cannot change what its parent recorded.

-- Parent side: the child checkpoints this hub witnessed and the countersignature it answered with,
-- so that sending the same checkpoint again gets the same answer. The authoritative record is the
-- witness.recorded ledger entry written in the same transaction; this table serves the answer.
CREATE TABLE lgsp.witnessed_checkpoint (
    hub                 text NOT NULL,              -- the child hub (the checkpoint's Hub)
    last_seq            bigint NOT NULL,
    first_seq           bigint NOT NULL,
    count               bigint NOT NULL,
    head                text NOT NULL,              -- hex, as the checkpoint states it
    checkpoint_sha256   text NOT NULL UNIQUE,       -- hex SHA-256 of the signed checkpoint bytes
    checkpoint          bytea NOT NULL,             -- the signed checkpoint as received
    countersignature    bytea NOT NULL,             -- the signed Witness answered (urn:lgsp:ledger:1)
    witnessed_at        timestamptz NOT NULL,
    ledger_seq          bigint NOT NULL,            -- the witness.recorded entry
    PRIMARY KEY (hub, last_seq)
);

-- Child side: the parent's countersignatures on this hub's checkpoints.
CREATE TABLE lgsp.countersignature (
    witness             text NOT NULL,              -- the witnessing (parent) hub
    last_seq            bigint NOT NULL,            -- the checkpoint's last seq
    head                text NOT NULL,              -- hex, as the witness states it
    checkpoint_sha256   text NOT NULL,
    xml                 bytea NOT NULL,             -- the signed Witness
    received_at         timestamptz NOT NULL,
    PRIMARY KEY (witness, last_seq)
);

-- The ledger entries the witness check reads, by child hub.
CREATE INDEX ledger_witness_recorded ON lgsp.ledger ((detail ->> 'hub'), seq) WHERE kind = 'witness.recorded';

-- Both are records of what was witnessed: append-only like the ledger (0002_ledger_seal.sql).
CREATE TRIGGER witnessed_checkpoint_append_only BEFORE UPDATE OR DELETE ON lgsp.witnessed_checkpoint FOR EACH ROW EXECUTE FUNCTION lgsp.refuse_change();
CREATE TRIGGER witnessed_checkpoint_no_truncate BEFORE TRUNCATE ON lgsp.witnessed_checkpoint FOR EACH STATEMENT EXECUTE FUNCTION lgsp.refuse_change();
CREATE TRIGGER countersignature_append_only BEFORE UPDATE OR DELETE ON lgsp.countersignature FOR EACH ROW EXECUTE FUNCTION lgsp.refuse_change();
CREATE TRIGGER countersignature_no_truncate BEFORE TRUNCATE ON lgsp.countersignature FOR EACH STATEMENT EXECUTE FUNCTION lgsp.refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON lgsp.witnessed_checkpoint, lgsp.countersignature FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON lgsp.witnessed_checkpoint, lgsp.countersignature FROM %I', current_user);
END
$$;
