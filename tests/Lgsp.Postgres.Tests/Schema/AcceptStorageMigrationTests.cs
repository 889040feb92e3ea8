using Lgsp.TestSupport.Postgres;

namespace Lgsp.Postgres.Tests.Schema;

/// <summary>Migration 0023: what an accept costs PostgreSQL (bench/README.md, "PostgreSQL per accept").</summary>
[Collection(PostgresCollection.Name)]
public sealed class AcceptStorageMigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_package_body_is_compressed_with_lz4_when_it_is_stored_out_of_line()
    {
        var database = await postgres.CreateDatabaseAsync();

        Assert.Equal("l x", await Sql.ScalarAsync(database,
            "SELECT attcompression::text || ' ' || attstorage::text FROM pg_attribute WHERE attrelid = 'lgsp.package'::regclass AND attname = 'body'"));
    }

    [Fact]
    public async Task The_console_overview_counts_documents_by_day_through_the_newest_documents_index()
    {
        var database = await postgres.CreateDatabaseAsync();

        // A year of documents from 50 senders; without the dropped package_received_document, a month's
        // day counts still read only that month's range of an index.
        await Sql.ExecuteAsync(database, """
            INSERT INTO lgsp.package (kind, sender_system, from_agency, document_id, sha256, size, body, received_at, business_type,
                legacy, signature, ledger_seq, receipt)
            SELECT 'document', 'sys', 'A' || (i % 50), 'D' || i, '\x01', 1, '\x01', now() - i * interval '3 minutes', 2, false, 'valid', i, '\x01'
            FROM generate_series(1, 20000) i;
            ANALYZE lgsp.package;
            """);
        var plan = await Sql.ScalarAsync(database, """
            SET enable_seqscan = off;
            EXPLAIN (FORMAT JSON) SELECT (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, count(*) FROM lgsp.package
                WHERE kind = 'document' AND received_at >= now() - interval '2 days' AND received_at < now() GROUP BY 1
            """);

        Assert.Equal(0L, await Sql.ScalarAsync(database, "SELECT count(*) FROM pg_indexes WHERE indexname = 'package_received_document'"));
        Assert.Contains("package_documents_newest", plan?.ToString(), StringComparison.Ordinal);
    }
}
