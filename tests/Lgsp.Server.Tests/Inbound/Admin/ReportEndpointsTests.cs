using System.Globalization;
using System.Net;
using System.Text.Json;
using Lgsp.Exchange.Reports.Calendar;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Inbound.Admin;

/// <summary>The reports API on a real hub: behind the administrator's login, the figures of a period as
/// JSON, kept current by the hub's own rollup refresh.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReportEndpointsTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Sender = "000.00.61.H56";
    private const string Recipient = "000.00.02.H56";
    private RunningHub _hub = null!;

    public async Task InitializeAsync() => _hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?>
    {
        ["Hub:Reports:RefreshInterval"] = "00:00:00.200",
        ["Hub:Ledger:SealInterval"] = "00:00:00.100",
    });

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task The_reports_api_answers_401_without_the_administrators_login()
    {
        var system = _hub.System(Sender);

        var anonymous = await _hub.Http.GetAsync(Path(Today, Today));
        var asSystem = await _hub.GetAsAsync(Path(Today, Today), system.Id, system.Secret);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, asSystem.StatusCode);
    }

    [Fact]
    public async Task A_document_sent_today_is_counted_by_the_hubs_own_refresh()
    {
        await _hub.SendDocumentAsync(Sender, Recipient);
        await _hub.SendDocumentAsync(Sender, Recipient);

        var report = await WaitForAsync(r => r.GetProperty("total").GetProperty("sent").GetInt64() == 2);

        Assert.Equal(2L, report.GetProperty("total").GetProperty("received").GetInt64());
        var rows = report.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!, r => r.GetProperty("figures"));
        Assert.Equal(2L, rows[Sender].GetProperty("sent").GetInt64());
        Assert.Equal(2L, rows[Recipient].GetProperty("received").GetInt64());
        Assert.Equal("agency", report.GetProperty("by").GetString());
    }

    [Fact]
    public async Task A_malformed_period_and_an_unknown_unit_are_refused_with_the_field()
    {
        var badDate = await _hub.GetAsAsync("/admin/api/reports?from=2025-13-01&to=2025-12-31", "admin", "admin-test-password");
        var unknownUnit = await _hub.GetAsAsync(Path(Today, Today) + "&unit=000.00.99.H56", "admin", "admin-test-password");

        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("\"field\":\"from\"", await badDate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownUnit.StatusCode);
        Assert.Contains("\"field\":\"unit\"", await unknownUnit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Today => WorkingCalendar.LocalDate(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Path(string from, string to) => $"/admin/api/reports?from={from}&to={to}";

    private async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await _hub.GetAsAsync(Path(Today, Today), "admin", "admin-test-password");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (done(json) || DateTime.UtcNow > deadline)
            {
                return json;
            }

            await Task.Delay(200);
        }
    }
}
