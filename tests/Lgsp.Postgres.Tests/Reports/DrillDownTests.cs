using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Exchange.Storage;
using Lgsp.TestSupport.Postgres;
using Lgsp.TestSupport.Reports;
using static Lgsp.TestSupport.Reports.ReportProvince;

namespace Lgsp.Postgres.Tests.Reports;

/// <summary>
/// The drill-down from a figure to the documents or deliveries behind it, over the dataset of
/// <see cref="ReportFiguresTests"/>: the lists the document search cannot express, worked out by hand,
/// and every figure's list as long as the figure, for the whole hub and for a unit's subtree.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DrillDownTests(PostgresFixture fixture)
{
    private static readonly DateOnly First = new(2025, 1, 1);
    private static readonly DateOnly Last = new(2025, 3, 31);

    private async Task<ReportProvince> ProvinceAsync()
    {
        var province = await CreateAsync(await fixture.CreateDatabaseAsync());
        await ReportFiguresTests.ExchangeAsync(province);
        await province.RefreshAsync(ReportFiguresTests.AsOf);
        return province;
    }

    private static async Task<IReadOnlyList<(string From, string? Recipient, DateTimeOffset Accepted)>> ListAsync(ReportProvince province, DrillDownRequest request) =>
        [.. (await province.Reports.DrillDownAsync(request)).Rows.Select(r => (r.From, r.Recipient, r.AcceptedAt))];

    [Fact]
    public async Task The_lists_the_search_cannot_express_name_exactly_the_documents_and_deliveries_behind_them()
    {
        await using var province = await ProvinceAsync();

        // Not received: C4 to the district (Saturday 15/2), C2 to Construction (Monday 17/3).
        var notReceived = await ListAsync(province, new DrillDownRequest(Figure.NotReceived, First, Last));

        // Sent late by Finance alone: C2.
        var late = await ListAsync(province, new DrillDownRequest(Figure.SentLate, First, Last, Agency: Finance));

        // Registered (03) in Construction's subtree (Construction and the commune): C1 by Construction, at Monday 14:00.
        var accepted = await province.Reports.DrillDownAsync(new DrillDownRequest(Figure.AcceptedSeconds, First, Last, Unit: Construction));

        // Failed under confirm-fail: C6 to the commune; under another code: nothing.
        var failed = await ListAsync(province, new DrillDownRequest(Figure.FailedDeliveries, First, Last, FailureCode: "confirm-fail"));
        var otherCode = await ListAsync(province, new DrillDownRequest(Figure.FailedDeliveries, First, Last, FailureCode: "no-route"));

        // Envelopes signed by a person: C3.
        var personal = await ListAsync(province, new DrillDownRequest(Figure.EnvelopePersonal, First, Last));

        Assert.Equal([(Construction, District, Local(2025, 2, 15, 10)), (Finance, Construction, Local(2025, 3, 17, 13))], notReceived);
        Assert.Equal([(Finance, (string?)null, Local(2025, 3, 17, 13))], late);
        var row = Assert.Single(accepted.Rows);
        Assert.Equal((Finance, Construction, Local(2025, 3, 14, 19), Local(2025, 3, 17, 14)), (row.From, row.Recipient, row.AcceptedAt, row.AnsweredAt!.Value));
        Assert.Equal("Sở Xây dựng", accepted.UnitName);
        Assert.Equal([(Finance, Commune, Local(2025, 3, 18, 8))], failed);
        Assert.Empty(otherCode);
        Assert.Equal([(Construction, (string?)null, Local(2025, 2, 3, 9))], personal);
    }

    [Fact]
    public async Task Every_figure_lists_as_many_rows_as_it_counts_for_the_hub_and_for_a_subtree()
    {
        await using var province = await ProvinceAsync();

        foreach (var unit in new[] { null, Construction })
        {
            var report = await province.Reports.ReportAsync(new ReportRequest(First, Last, unit));
            foreach (var figure in Figures.All)
            {
                var page = await province.Reports.DrillDownAsync(new DrillDownRequest(figure, First, Last, unit, Take: 500));

                // A sum of seconds lists its count's deliveries; a per-PDF figure counts files and lists their documents.
                var expected = TimeMeasure.Of(figure) is { } measure ? report.Total[measure.Count] : report.Total[DocumentsOf(figure)];
                Assert.True(expected == page.Total, $"{unit ?? "hub"} {figure}: figure {expected}, listed {page.Total}");
                Assert.Equal(page.Total, page.Rows.Count);
            }
        }
    }

    [Fact]
    public async Task An_agency_clerk_lists_only_documents_its_agency_sent_or_was_sent_a_page_at_a_time()
    {
        await using var province = await ProvinceAsync();

        // Every received delivery of the hub: nine; the commune's clerk sees those of C1 (to Construction and
        // the commune), C6 (to the commune) and C7 (from the commune).
        var clerk = await ListAsync(province, new DrillDownRequest(Figure.Received, First, Last, Scope: [Commune]));
        var second = await province.Reports.DrillDownAsync(new DrillDownRequest(Figure.Received, First, Last, Skip: 5, Take: 5));

        Assert.Equal(
            [(Finance, Construction, Local(2025, 3, 14, 19)), (Finance, Commune, Local(2025, 3, 14, 19)), (Finance, Commune, Local(2025, 3, 18, 8)),
             (Commune, Province, Local(2025, 3, 19, 16, 59))],
            clerk);
        Assert.Equal((9, 4), (second.Total, second.Rows.Count));
    }

    [Fact]
    public async Task A_period_longer_than_a_year_or_an_unknown_agency_is_refused()
    {
        await using var province = await ProvinceAsync();

        var year = await Assert.ThrowsAsync<Exchange.Errors.ExchangeException>(() =>
            province.Reports.DrillDownAsync(new DrillDownRequest(Figure.Sent, new DateOnly(2024, 1, 1), new DateOnly(2025, 1, 1))));
        var unknown = await Assert.ThrowsAsync<Exchange.Errors.ExchangeException>(() =>
            province.Reports.DrillDownAsync(new DrillDownRequest(Figure.Sent, First, Last, Agency: "000.00.99.H56")));

        Assert.Equal(("from", "agency"), (year.Error.Field, unknown.Error.Field));
    }

    private static Figure DocumentsOf(Figure figure) => figure switch
    {
        Figure.PdfAttachments => Figure.DocumentsWithPdf,
        Figure.PdfOrganization => Figure.DocumentsPdfOrganization,
        Figure.PdfPersonal => Figure.DocumentsPdfPersonal,
        Figure.PdfUnsigned => Figure.DocumentsPdfUnsigned,
        Figure.PdfBroken => Figure.DocumentsPdfBroken,
        Figure.PdfUnreadable => Figure.DocumentsPdfUnreadable,
        _ => figure,
    };
}
