using Lgsp.TestSupport.Postgres;
using Lgsp.TestSupport.Reports;
using static Lgsp.TestSupport.Reports.ReportProvince;

namespace Lgsp.Postgres.Tests.Reports;

/// <summary>The report facts the accept path stores in the package's transaction: the PDF inspector's
/// verdict on each attachment, the envelope signer's class, the recipients' tiers and scopes.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AcceptedFactsTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Each_PDF_attachment_is_recorded_signed_unsigned_broken_or_unreadable_with_its_signers()
    {
        await using var province = await CreateAsync(await fixture.CreateDatabaseAsync());

        var (packageId, _) = await province.SendAsync(Finance, [Construction], new DateOnly(2025, 3, 14), Local(2025, 3, 14, 9),
            pdfs: [TestPdfKind.Organization, TestPdfKind.Personal, TestPdfKind.Unsigned, TestPdfKind.Tampered, TestPdfKind.Unreadable]);

        var rows = await RowsAsync(province, "SELECT ordinal, verdict, organization_signers, personal_signers FROM lgsp.report_attachment WHERE package_id = $1 ORDER BY ordinal", packageId);
        Assert.Equal(
        [
            "1 signed 1 0",
            "2 signed 0 1",
            "3 unsigned 0 0",
            "4 broken 0 0",
            "5 unreadable 0 0",
        ], rows);
    }

    [Fact]
    public async Task The_envelope_signer_is_classed_by_the_same_rule_as_PDF_signers()
    {
        await using var province = await CreateAsync(await fixture.CreateDatabaseAsync());

        var (sealedByOrganization, _) = await province.SendAsync(Finance, [Construction], new DateOnly(2025, 3, 14), Local(2025, 3, 14, 9), signEnvelope: true);
        var (signedByPerson, _) = await province.SendAsync(Construction, [Finance], new DateOnly(2025, 3, 14), Local(2025, 3, 14, 10), signEnvelope: true);
        var (unsigned, _) = await province.SendAsync(Construction, [Finance], new DateOnly(2025, 3, 14), Local(2025, 3, 14, 11));

        Assert.Equal(["organization"], await RowsAsync(province, "SELECT envelope_signer FROM lgsp.report_package WHERE package_id = $1", sealedByOrganization));
        Assert.Equal(["personal"], await RowsAsync(province, "SELECT envelope_signer FROM lgsp.report_package WHERE package_id = $1", signedByPerson));
        Assert.Equal(["unsigned"], await RowsAsync(province, "SELECT envelope_signer FROM lgsp.report_package WHERE package_id = $1", unsigned));
    }

    [Fact]
    public async Task Recipients_are_internal_here_and_through_a_child_hub_and_external_through_the_parent()
    {
        await using var province = await CreateAsync(await fixture.CreateDatabaseAsync());

        var (packageId, _) = await province.SendAsync(Construction, [Finance, District, Ministry], new DateOnly(2025, 2, 14), Local(2025, 2, 15, 10),
            priority: 1, paper: true);

        Assert.Equal(["000.00.00.G22 central external", "000.00.01.H56 department internal", "000.00.70.H56 district internal"],
            await RowsAsync(province, "SELECT recipient, tier, scope FROM lgsp.report_recipient WHERE package_id = $1 ORDER BY recipient", packageId));
        Assert.Equal(["document department internal 1 True 2025-02-14 2025-02-15"],
            await RowsAsync(province, "SELECT kind, from_tier, from_scope, priority, paper, promulgation_date, received_day FROM lgsp.report_package WHERE package_id = $1", packageId));
    }

    [Fact]
    public async Task A_document_from_beyond_the_parent_has_an_external_sender()
    {
        await using var province = await CreateAsync(await fixture.CreateDatabaseAsync());

        var (packageId, _) = await province.SendAsync(Ministry, [Finance], new DateOnly(2025, 3, 10), Local(2025, 3, 11, 10));

        Assert.Equal(["central external"], await RowsAsync(province, "SELECT from_tier, from_scope FROM lgsp.report_package WHERE package_id = $1", packageId));
    }

    [Fact]
    public async Task The_received_day_is_the_local_date_in_Hanoi()
    {
        await using var province = await CreateAsync(await fixture.CreateDatabaseAsync());

        // 23:30 UTC on the 13th is 06:30 on the 14th in Hà Nội.
        var (packageId, _) = await province.SendAsync(Finance, [Construction], new DateOnly(2025, 3, 13), new DateTimeOffset(2025, 3, 13, 23, 30, 0, TimeSpan.Zero));

        Assert.Equal(["2025-03-14"], await RowsAsync(province, "SELECT received_day FROM lgsp.report_package WHERE package_id = $1", packageId));
    }

    internal static async Task<List<string>> RowsAsync(ReportProvince province, string sql, params object[] parameters)
    {
        await using var command = province.DataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.AddWithValue(p);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(' ', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Text(reader.GetValue(i)))));
        }

        return rows;
    }

    private static string Text(object value) => value switch
    {
        DateTime d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };
}
