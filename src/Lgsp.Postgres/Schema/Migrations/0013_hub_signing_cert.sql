-- The certificate another hub signs its checkpoints and countersignatures with (DER), registered
-- with lgsp hubs add --signing-cert. Witnessing accepts that hub's signatures only from this
-- certificate: a valid chain to the root is not enough, since every agency seal has one. Null
-- until registered; witnessing with that hub is refused meanwhile.
ALTER TABLE lgsp.hub ADD COLUMN signing_cert bytea NULL;
