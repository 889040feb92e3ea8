-- What an accept costs PostgreSQL (bench/README.md, "PostgreSQL per accept").
--
-- A package's body is mostly base64 of attachments that are compressed already (PDF, office files),
-- which pglz cannot shrink by the quarter it requires: every insert spent about 1.2 ms of CPU trying to
-- compress about 100 KB and stored it uncompressed anyway. lz4 gives up on such bytes at a small
-- fraction of that cost and still compresses a package that is mostly XML. A server built without lz4
-- keeps bodies out of line uncompressed instead, without trying. Bodies stored before keep their form.
DO $$
BEGIN
    EXECUTE 'ALTER TABLE lgsp.package ALTER COLUMN body SET COMPRESSION lz4';
EXCEPTION WHEN feature_not_supported THEN
    ALTER TABLE lgsp.package ALTER COLUMN body SET STORAGE EXTERNAL;
END
$$;

-- The console's overview counts documents by received_at through package_documents_newest
-- (received_at DESC, id DESC, same predicate), which serves the same ranges: one index less to keep
-- up on every accepted document.
DROP INDEX lgsp.package_received_document;
