using System.Text.Json;
using Lgsp.Exchange.Ledger;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Cli.Tests.Hub;

/// <summary><c>lgsp calendar add/remove/list</c> against a real database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CalendarCommandsTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_make_up_Saturday_is_added_listed_over_the_bundled_days_and_recorded_in_the_ledger()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var added = db.Ok("calendar", "add", "2026-01-10", "--working", "--reason", "Làm bù ngày 2/1", "--actor", "operator:lan");
        using var listed = JsonDocument.Parse(db.Ok("calendar", "list", "--year", "2026", "--json"));

        Assert.Equal("2026-01-10 is now a working day (Làm bù ngày 2/1)", added.Trim());
        var days = listed.RootElement.EnumerateArray().ToList();
        Assert.All(days, d => Assert.StartsWith("2026-", d.GetProperty("day").GetString()));
        var operatorDay = Assert.Single(days, d => d.GetProperty("source").GetString() == "operator");
        Assert.Equal(("2026-01-10", "working"), (operatorDay.GetProperty("day").GetString(), operatorDay.GetProperty("kind").GetString()));
        Assert.Contains(days, d => d.GetProperty("day").GetString() == "2026-02-17" && d.GetProperty("source").GetString() == "bundled");
        var entry = Assert.Single(await db.LedgerAsync());
        Assert.Equal((LedgerKind.DirectoryChanged, "operator:lan"), (entry.Kind, entry.Actor));
        Assert.Contains("calendar.day.set", entry.Detail);
    }

    [Fact]
    public async Task Removing_an_operator_change_gives_the_day_back_to_the_bundled_calendar()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("calendar", "add", "2025-02-15", "--holiday", "--reason", "không làm bù");

        var removed = db.Ok("calendar", "remove", "2025-02-15");

        Assert.Equal("removed the change for 2025-02-15; it is now a working day", removed.Trim());
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM lgsp.calendar_day"));
        Assert.Contains(await db.LedgerAsync(), e => e.Detail.Contains("calendar.day.removed"));
    }

    [Fact]
    public async Task Removing_a_bundled_day_is_refused_with_how_to_override_it()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var (exit, _, error) = db.Run("calendar", "remove", "2025-01-29");

        Assert.Equal(LgspCommand.Failed, exit);
        Assert.Contains("bundled calendar", error);
        Assert.Empty(await db.LedgerAsync());
    }

    [Fact]
    public async Task Add_needs_exactly_one_of_holiday_and_working()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var (exit, _, error) = db.Run("calendar", "add", "2025-03-01", "--reason", "x");

        Assert.Equal(LgspCommand.Usage, exit);
        Assert.Contains("exactly one of --holiday and --working", error);
    }
}
