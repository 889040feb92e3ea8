using Lgsp.Exchange.Documents;
using Lgsp.Postgres.Schema;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Schema;

/// <summary>Migration 0015: pg_trgm is available, and documents stored before it become searchable.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DocumentSearchMigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Documents_stored_before_the_migration_are_folded_by_it_as_the_accept_path_folds_new_ones()
    {
        var database = await postgres.CreateEmptyDatabaseAsync();
        await Sql.ExecuteAsync(database, "CREATE SCHEMA lgsp_schema; CREATE TABLE lgsp_schema.migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        foreach (var script in Migrator.Scripts.Where(s => string.CompareOrdinal(s, "0015") < 0))
        {
            await Sql.ExecuteAsync(database, Migrator.Read(script));
            await Sql.ExecuteAsync(database, $"INSERT INTO lgsp_schema.migration (name) VALUES ('{script}')");
        }

        await Sql.ExecuteAsync(database, """
            INSERT INTO lgsp.package (kind, sender_system, from_agency, document_id, sha256, size, body, received_at, business_type,
                code_number, code_notation, subject, legacy, signature, ledger_seq, receipt)
            VALUES ('document', 'sys', 'A', 'OLD', '\x01', 1, '\x01', now(), 0, '17', 'QĐ-UBND', '  Báo cáo  ĐIỀU chỉnh ', false, 'valid', 1, '\x01'),
                   ('status', 'sys', 'B', 'OLD', '\x02', 1, '\x02', now(), NULL, NULL, NULL, NULL, false, 'valid', 2, '\x02')
            """);

        await Migrator.ApplyAsync(database);

        Assert.Equal(SearchText.Fold("  Báo cáo  ĐIỀU chỉnh "), await Sql.ScalarAsync(database, "SELECT subject_folded FROM lgsp.package WHERE kind = 'document'"));
        Assert.Equal(SearchText.FoldCode("17", "QĐ-UBND"), await Sql.ScalarAsync(database, "SELECT code_folded FROM lgsp.package WHERE kind = 'document'"));
        Assert.Equal(DBNull.Value, await Sql.ScalarAsync(database, "SELECT subject_folded FROM lgsp.package WHERE kind = 'status'"));
        Assert.Equal(1L, await Sql.ScalarAsync(database, "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"));
    }

    [Fact]
    public async Task The_backfill_fold_in_sql_equals_the_domain_fold_on_every_vietnamese_letter()
    {
        var database = await postgres.CreateDatabaseAsync();
        const string Lower = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";
        string[] samples =
        [
            Lower, Lower.ToUpperInvariant(), "Báo cáo tình hình thực hiện Nghị quyết số 12/NQ-HĐND",
            "Về việc  đề nghị\tĐIỀU CHỈNH", "Báo cáo".Normalize(System.Text.NormalizationForm.FormD), "Crème brûlée, Ñandú",
        ];

        await using var data = NpgsqlDataSource.Create(database);
        foreach (var sample in samples)
        {
            await using var command = data.CreateCommand("SELECT lgsp.search_fold($1)");
            command.Parameters.AddWithValue(sample);
            Assert.Equal(SearchText.Fold(sample), await command.ExecuteScalarAsync());
        }
    }
}
