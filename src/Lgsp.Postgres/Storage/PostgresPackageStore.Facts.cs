using Lgsp.Exchange.Reports.Calendar;
using Lgsp.Exchange.Reports.Facts;
using Lgsp.Exchange.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Lgsp.Postgres.Storage;

// The report facts of a package (lgsp.report_package, report_recipient, report_attachment), written
// in the package's transaction so that a report never sees a package without them.
public sealed partial class PostgresPackageStore
{
    // The facts' statements, for the batch that stores the package: none for a package without facts.
    private static IEnumerable<NpgsqlBatchCommand> FactsInserts(long packageId, NewPackage package)
    {
        if (package.Facts is not { } facts)
        {
            yield break;
        }

        var insert = new NpgsqlBatchCommand("""
            INSERT INTO lgsp.report_package (package_id, kind, business_type, status_code, document_id, status_target, from_agency, from_tier,
                from_scope, received_at, received_day, priority, paper, promulgation_date, envelope_signer)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            """);
        insert.Parameters.AddWithValue(packageId);
        insert.Parameters.AddWithValue(Words.Of(package.Kind));
        insert.Parameters.Add(Nullable(package.BusinessType is { } b ? (short)b : null));
        insert.Parameters.Add(Nullable(package.StatusCode));
        insert.Parameters.AddWithValue(package.DocumentId);
        insert.Parameters.Add(Nullable(package.StatusTarget));
        insert.Parameters.AddWithValue(package.From);
        insert.Parameters.Add(Nullable(facts.FromTier));
        insert.Parameters.AddWithValue(ReportWords.Of(facts.FromScope));
        insert.Parameters.AddWithValue(package.ReceivedAt);
        insert.Parameters.AddWithValue(WorkingCalendar.LocalDate(package.ReceivedAt));
        insert.Parameters.Add(Nullable(facts.Priority is { } p ? (short)p : null));
        insert.Parameters.AddWithValue(facts.Paper);
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)facts.PromulgationDate ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        insert.Parameters.AddWithValue(ReportWords.Of(facts.EnvelopeSigner));
        yield return insert;

        if (facts.Recipients.Count > 0)
        {
            yield return RecipientFactsInsert(packageId, facts.Recipients);
        }

        if (facts.Attachments.Count > 0)
        {
            var attachments = new NpgsqlBatchCommand("""
                INSERT INTO lgsp.report_attachment (package_id, ordinal, name, verdict, organization_signers, personal_signers)
                SELECT $1, * FROM unnest($2::integer[], $3::text[], $4::text[], $5::integer[], $6::integer[])
                """);
            attachments.Parameters.AddWithValue(packageId);
            attachments.Parameters.AddWithValue(facts.Attachments.Select(a => a.Ordinal).ToArray());
            attachments.Parameters.AddWithValue(facts.Attachments.Select(a => a.Name).ToArray());
            attachments.Parameters.AddWithValue(facts.Attachments.Select(a => ReportWords.Of(a.Verdict)).ToArray());
            attachments.Parameters.AddWithValue(facts.Attachments.Select(a => a.OrganizationSigners).ToArray());
            attachments.Parameters.AddWithValue(facts.Attachments.Select(a => a.PersonalSigners).ToArray());
            yield return attachments;
        }
    }

    // A repeat that creates deliveries (a hub forwarding the second recipient) adds their recipients'
    // facts; the ones already there stay as first written. None to add is an empty unnest.
    private static NpgsqlBatchCommand RecipientFactsInsert(long packageId, IReadOnlyList<RecipientFact> recipients)
    {
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO lgsp.report_recipient (package_id, recipient, tier, scope)
            SELECT $1, r.recipient, r.tier, r.scope FROM unnest($2::text[], $3::text[], $4::text[]) AS r (recipient, tier, scope)
            WHERE EXISTS (SELECT 1 FROM lgsp.report_package WHERE package_id = $1)
            ON CONFLICT DO NOTHING
            """);
        insert.Parameters.AddWithValue(packageId);
        insert.Parameters.Add(new NpgsqlParameter { Value = recipients.Select(r => r.Recipient).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = recipients.Select(r => r.Tier).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = recipients.Select(r => ReportWords.Of(r.Scope)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return insert;
    }
}

/// <summary>How the report facts' enums are spelled in the database.</summary>
internal static class ReportWords
{
    public static string Of(ExchangeScope scope) => scope.ToString().ToLowerInvariant();

    public static string Of(SignerClass signer) => signer.ToString().ToLowerInvariant();

    public static string Of(PdfVerdict verdict) => verdict.ToString().ToLowerInvariant();
}
