using System.Security.Cryptography;
using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>The console's document search and document file, on real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDocumentStoreTests(PostgresFixture fixture)
{
    private const string Province = "000.00.00.H56";
    private const string Finance = "000.00.02.H56";
    private const string HomeAffairs = "000.00.03.H56";
    private const string HacThanh = "000.00.61.H56";
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_search_without_accents_finds_the_subject_with_them_and_each_word_must_be_there()
    {
        var (packages, documents) = await OpenAsync();
        await SaveAsync(packages, "D1", Province, [Finance], "Báo cáo tình hình tài chính quý IV", 0);
        await SaveAsync(packages, "D2", Province, [Finance], "Đề nghị điều chỉnh dự toán", 1);

        Assert.Equal("D1", Assert.Single((await documents.SearchAsync(new DocumentQuery { Text = "bao cao TAI CHINH" }, null, null, 10)).Rows).DocumentId);
        Assert.Equal("D2", Assert.Single((await documents.SearchAsync(new DocumentQuery { Text = "de nghi dieu" }, null, null, 10)).Rows).DocumentId);
        Assert.Empty((await documents.SearchAsync(new DocumentQuery { Text = "bao cao du toan" }, null, null, 10)).Rows);
    }

    [Fact]
    public async Task A_search_finds_by_document_id_number_and_notation_and_percent_is_no_wildcard()
    {
        var (packages, documents) = await OpenAsync();
        await SaveAsync(packages, "000.00.00.H56,2026/11/23,17/QĐ-UBND", Province, [Finance], "Quyết định", 0, "17", "QĐ-UBND");
        await SaveAsync(packages, "D2", Province, [Finance], "Công văn 100%", 1, "18", "UBND-VP");

        Assert.Equal("17", Assert.Single((await documents.SearchAsync(new DocumentQuery { Text = "000.00.00.H56,2026/11/23,17/QĐ-UBND" }, null, null, 10)).Rows).CodeNumber);
        Assert.Equal("17/QĐ-UBND", Assert.Single((await documents.SearchAsync(new DocumentQuery { Text = "qd-ubnd" }, null, null, 10)).Rows).Code);
        Assert.Equal("D2", Assert.Single((await documents.SearchAsync(new DocumentQuery { Text = "18/UBND" }, null, null, 10)).Rows).DocumentId);
        Assert.Equal("D2", Assert.Single((await documents.SearchAsync(new DocumentQuery { Text = "100%" }, null, null, 10)).Rows).DocumentId);
        Assert.Equal(["D2"], Ids(await documents.SearchAsync(new DocumentQuery { Text = "%" }, null, null, 10)));
    }

    [Fact]
    public async Task Pages_follow_each_other_newest_first_without_repeating_or_skipping()
    {
        var (packages, documents) = await OpenAsync();
        for (var i = 0; i < 7; i++)
        {
            await SaveAsync(packages, $"D{i}", Province, [Finance], "Báo cáo " + i, i);
        }

        var seen = new List<string>();
        DocumentCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await documents.SearchAsync(new DocumentQuery { Text = "bao cao" }, null, cursor, 3);
            seen.AddRange(page.Rows.Select(r => r.DocumentId));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(["D6", "D5", "D4", "D3", "D2", "D1", "D0"], seen);
    }

    [Fact]
    public async Task Sender_recipient_dates_and_delivery_state_narrow_the_search()
    {
        var (packages, documents) = await OpenAsync();
        await SaveAsync(packages, "D1", Province, [Finance], "Một", 0);
        await SaveAsync(packages, "D2", Finance, [HomeAffairs], "Hai", 60);
        var failed = await SaveAsync(packages, "D3", Province, [HomeAffairs, HacThanh], "Ba", 120);
        await packages.ConfirmAsync(failed.Single(d => d.Delivery.Recipient == HacThanh).Id, done: false, "không đọc được", "sys", Start.AddMinutes(200));

        Assert.Equal(["D3", "D1"], Ids(await documents.SearchAsync(new DocumentQuery { From = Province }, null, null, 10)));
        Assert.Equal(["D3", "D2"], Ids(await documents.SearchAsync(new DocumentQuery { To = HomeAffairs }, null, null, 10)));
        Assert.Equal(["D2"], Ids(await documents.SearchAsync(new DocumentQuery { Since = Start.AddMinutes(30), Until = Start.AddMinutes(90) }, null, null, 10)));
        var row = Assert.Single((await documents.SearchAsync(new DocumentQuery { State = DeliveryState.Failed }, null, null, 10)).Rows);
        Assert.Equal([(HomeAffairs, DeliveryState.Pending), (HacThanh, DeliveryState.Failed)], row.Recipients);
    }

    [Fact]
    public async Task Dates_with_the_provinces_offset_narrow_the_search_as_the_same_instants_in_utc()
    {
        var (packages, documents) = await OpenAsync();
        await SaveAsync(packages, "D1", Province, [Finance], "Một", 0);
        await SaveAsync(packages, "D2", Finance, [HomeAffairs], "Hai", 60);
        var hanoi = TimeSpan.FromHours(7);

        var found = await documents.SearchAsync(new DocumentQuery { Since = Start.AddMinutes(30).ToOffset(hanoi), Until = Start.AddMinutes(90).ToOffset(hanoi) }, null, null, 10);

        Assert.Equal(["D2"], Ids(found));
    }

    [Fact]
    public async Task An_agency_reads_what_it_sent_or_received_and_nothing_else_by_search_or_by_id()
    {
        var (packages, documents) = await OpenAsync();
        await SaveAsync(packages, "SENT", HacThanh, [Finance], "Báo cáo gửi đi", 0);
        await SaveAsync(packages, "RECEIVED", Province, [HacThanh, Finance], "Báo cáo nhận về", 1);
        await SaveAsync(packages, "OTHERS", Province, [HomeAffairs], "Báo cáo của người khác", 2);

        Assert.Equal(["RECEIVED", "SENT"], Ids(await documents.SearchAsync(new DocumentQuery { Text = "bao cao" }, [HacThanh], null, 10)));
        Assert.Equal(["OTHERS", "RECEIVED", "SENT"], Ids(await documents.SearchAsync(new DocumentQuery { Text = "bao cao" }, null, null, 10)));
        Assert.Empty(Ids(await documents.SearchAsync(new DocumentQuery { Text = "OTHERS" }, [HacThanh], null, 10)));
        Assert.Null(await documents.FindAsync("OTHERS", [HacThanh]));
        Assert.NotNull(await documents.FindAsync("OTHERS", null));
    }

    [Fact]
    public async Task A_recipient_agency_sees_its_own_delivery_and_statuses_of_a_document_others_received_too()
    {
        var (packages, documents) = await OpenAsync();
        await SaveAsync(packages, "D1", Province, [HacThanh, Finance], "Báo cáo", 0);
        await SaveStatusAsync(packages, "D1", HacThanh, Province, "03", 10);
        await SaveStatusAsync(packages, "D1", Finance, Province, "03", 11);

        var clerk = await documents.FindAsync("D1", [HacThanh]);
        var sender = await documents.FindAsync("D1", [Province]);

        Assert.NotNull(clerk);
        Assert.Equal(HacThanh, Assert.Single(clerk.Deliveries, d => d.View.DocumentId == "D1" && d.View.From == Province).View.Recipient);
        Assert.Equal(HacThanh, Assert.Single(clerk.Packages, p => p.Kind == PackageKind.Status).From);
        Assert.DoesNotContain(clerk.Events, e => e.Recipient == Finance);
        Assert.NotNull(sender);
        Assert.Equal([HacThanh, Finance], sender.Deliveries.Where(d => d.View.From == Province).Select(d => d.View.Recipient));
        Assert.Equal(2, sender.Packages.Count(p => p.Kind == PackageKind.Status));
        Assert.Contains(sender.Events, e => e.Kind == "delivery.created" && e.Recipient == Finance);
    }

    private static List<string> Ids(DocumentPage page) => [.. page.Rows.Select(r => r.DocumentId)];

    private async Task<(PostgresPackageStore Packages, PostgresDocumentStore Documents)> OpenAsync()
    {
        var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        return (new PostgresPackageStore(data), new PostgresDocumentStore(data));
    }

    private static async Task<IReadOnlyList<(long Id, NewDelivery Delivery)>> SaveAsync(PostgresPackageStore store, string documentId, string from, string[] to,
        string subject, int minutes, string? number = null, string? notation = null)
    {
        var body = Encoding.UTF8.GetBytes(documentId + subject);
        var outcome = await store.SaveAsync(new NewPackage
        {
            Kind = PackageKind.Document,
            SenderSystem = "sys",
            From = from,
            DocumentId = documentId,
            Sha256 = SHA256.HashData(body),
            Body = PackageSpool.FromBytes(body),
            ReceivedAt = Start.AddMinutes(minutes),
            BusinessType = BusinessDocType.New,
            CodeNumber = number ?? minutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            CodeNotation = notation ?? "UBND-VP",
            Subject = subject,
            Legacy = false,
            Signature = "valid",
        }, [.. to.Select(r => new NewDelivery(r, r, DeliveryMode.Pull))], PostgresPackageStoreTests.Receipt);
        Assert.Equal(SaveResult.Saved, outcome.Result);
        return outcome.Deliveries;
    }

    private static async Task SaveStatusAsync(PostgresPackageStore store, string documentId, string from, string to, string code, int minutes)
    {
        var body = Encoding.UTF8.GetBytes(documentId + from + code);
        var outcome = await store.SaveAsync(new NewPackage
        {
            Kind = PackageKind.Status,
            SenderSystem = "sys",
            From = from,
            DocumentId = documentId,
            Sha256 = SHA256.HashData(body),
            Body = PackageSpool.FromBytes(body),
            ReceivedAt = Start.AddMinutes(minutes),
            StatusCode = code,
            StatusTarget = to,
            StatusAbout = (to, from),
            Legacy = false,
            Signature = "valid",
        }, [new NewDelivery(to, to, DeliveryMode.Pull)], PostgresPackageStoreTests.Receipt);
        Assert.Equal(SaveResult.Saved, outcome.Result);
    }
}
