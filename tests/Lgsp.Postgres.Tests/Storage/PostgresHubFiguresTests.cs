using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>The console's figures and its delivery list, on real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresHubFiguresTests(PostgresFixture fixture)
{
    private static readonly TimeZoneInfo Province = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    [Fact]
    public async Task The_day_counts_fall_on_the_province_s_local_day_and_every_day_of_the_window_is_there()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var packages = new PostgresPackageStore(data);
        var received = PostgresPackageStoreTests.Document("D1", "body").ReceivedAt;
        var saved = await packages.SaveAsync(PostgresPackageStoreTests.Document("D1", "body"),
            [new NewDelivery("A", "A", DeliveryMode.Pull), new NewDelivery("B", "B", DeliveryMode.Pull), new NewDelivery("C", "C", DeliveryMode.Pull)],
            PostgresPackageStoreTests.Receipt);

        // 18:00 UTC is 01:00 the next day in the province.
        var evening = new DateTimeOffset(received.UtcDateTime.Date.AddHours(18), TimeSpan.Zero);
        await packages.ConfirmAsync(saved.Deliveries[0].Id, done: true, null, "sys-a", evening);
        await packages.ConfirmAsync(saved.Deliveries[1].Id, done: false, "not ours", "sys-b", received);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(received, Province).DateTime);

        var days = await new PostgresHubFigures(data).DailyAsync(day.AddDays(-1), 3, Province);

        Assert.Equal([day.AddDays(-1), day, day.AddDays(1)], days.Select(d => d.Day));
        Assert.Equal(new DayFigures(day.AddDays(-1), 0, 0, 0, 0), days[0]);
        Assert.Equal(new DayFigures(day, 1, 0, 0, 1), days[1]);
        Assert.Equal(new DayFigures(day.AddDays(1), 0, 1, 1, 0), days[2]);
        Assert.Equal(new WaitingFigures(1, 0, 1), await new PostgresHubFigures(data).WaitingAsync());
    }

    [Fact]
    public async Task The_delivery_list_pages_below_an_id_and_narrows_to_chosen_ids_and_to_failures_before_a_time()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var packages = new PostgresPackageStore(data);
        var saved = await packages.SaveAsync(PostgresPackageStoreTests.Document("D1", "body"),
            [.. "ABCDE".Select(c => new NewDelivery(c.ToString(), c.ToString(), DeliveryMode.Pull))], PostgresPackageStoreTests.Receipt);
        var ids = saved.Deliveries.Select(d => d.Id).ToList();
        var at = PostgresPackageStoreTests.Document("D1", "body").ReceivedAt;
        for (var i = 0; i < 4; i++)
        {
            await packages.ConfirmAsync(ids[i], done: false, "refused", "sys", at.AddHours(i));
        }

        var firstPage = await packages.ListDeliveriesAsync(new DeliveryFilter(), 2);
        var secondPage = await packages.ListDeliveriesAsync(new DeliveryFilter { BeforeId = firstPage[^1].Id }, 2);
        var chosen = await packages.ListDeliveriesAsync(new DeliveryFilter { State = DeliveryState.Failed, DeliveryIds = [ids[0], ids[2], ids[4]] }, null);
        var older = await packages.ListDeliveriesAsync(new DeliveryFilter { FailedBefore = at.AddHours(2) }, null);

        Assert.Equal([ids[4], ids[3]], firstPage.Select(d => d.Id));
        Assert.Equal([ids[2], ids[1]], secondPage.Select(d => d.Id));
        Assert.Equal([ids[2], ids[0]], chosen.Select(d => d.Id));
        Assert.Equal([ids[1], ids[0]], older.Select(d => d.Id));
    }

    [Fact]
    public async Task A_hub_link_shows_what_waits_for_it_what_failed_through_it_and_no_secret()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var directory = new PostgresDirectoryStore(data, TimeProvider.System);
        await directory.SaveHubAsync(new HubLink("h56-child", HubRole.Child, null, null, null, null, true), "operator:test");
        var packages = new PostgresPackageStore(data);
        await packages.SaveAsync(PostgresPackageStoreTests.Document("D1", "body"),
            [new NewDelivery("X", "X", DeliveryMode.Pull) { Via = "h56-child" }, new NewDelivery("Y", "Y", DeliveryMode.Pull) { Via = "h56-child" }],
            PostgresPackageStoreTests.Receipt);

        var link = Assert.Single(await new PostgresHubFigures(data).HubLinksAsync());

        Assert.Equal("h56-child", link.Link.Id);
        Assert.Equal(HubRole.Child, link.Link.Role);
        Assert.Null(link.Link.SealedSecret);
        Assert.Equal(2, link.Waiting);
        Assert.Equal(0, link.Failed);
        Assert.Null(link.LastDeliveredAt);
        Assert.Null(link.Witness);
    }

    [Fact]
    public async Task The_windows_last_day_is_counted_on_every_read_and_the_closed_days_before_it_once_for_a_while()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var packages = new PostgresPackageStore(data);
        var received = PostgresPackageStoreTests.Document("D1", "body").ReceivedAt;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(received, Province).DateTime);
        var figures = new PostgresHubFigures(data);
        var before = await figures.DailyAsync(day.AddDays(-1), 2, Province);

        // One document on the window's last day, one (arriving late) on the day before it.
        await packages.SaveAsync(PostgresPackageStoreTests.Document("D1", "body"), [new NewDelivery("A", "A", DeliveryMode.Pull)], PostgresPackageStoreTests.Receipt);
        await packages.SaveAsync(PostgresPackageStoreTests.Document("D0", "body0") with { ReceivedAt = received.AddDays(-1) }, [new NewDelivery("A", "A", DeliveryMode.Pull)],
            PostgresPackageStoreTests.Receipt);
        var after = await figures.DailyAsync(day.AddDays(-1), 2, Province);
        var fresh = await new PostgresHubFigures(data).DailyAsync(day.AddDays(-1), 2, Province);

        Assert.Equal([0L, 0L], before.Select(d => d.Accepted));
        Assert.Equal([0L, 1L], after.Select(d => d.Accepted));
        Assert.Equal([1L, 1L], fresh.Select(d => d.Accepted));
    }

    [Fact]
    public async Task A_parent_link_shows_this_hubs_last_successful_poll_and_a_child_link_its_last_call()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var directory = new PostgresDirectoryStore(data, TimeProvider.System);
        await directory.SaveClientSystemAsync("child-hub-system", SecretHash.Hash("secret-TEST-ONLY"), null, PackagePolicy.Strict, [], "test");
        await directory.SaveHubAsync(new HubLink("root", HubRole.Parent, new Uri("http://127.0.0.1:9/"), "h56-at-root", [1, 2, 3], null, true), "operator:test");
        await directory.SaveHubAsync(new HubLink("h56-child", HubRole.Child, null, null, null, "child-hub-system", true), "operator:test");
        var polled = new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);
        await directory.RecordHubPollAsync("root", polled);
        await directory.RecordHubPollAsync("root", polled.AddMinutes(-5));
        await directory.RecordClientCallAsync("child-hub-system", polled.AddMinutes(1));

        var links = (await new PostgresHubFigures(data).HubLinksAsync()).ToDictionary(l => l.Link.Id);

        Assert.Equal(polled, links["root"].LastPollAt);
        Assert.Equal(polled.AddMinutes(1), links["h56-child"].LastPollAt);
    }
}
