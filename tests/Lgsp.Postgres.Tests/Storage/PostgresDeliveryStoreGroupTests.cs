using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;
using static Lgsp.Postgres.Tests.Storage.PostgresPackageStoreTests;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>One upload per next hop (ADR 0017): a forward's claim takes along the package's other
/// deliveries via the same hub, and the reconciler enqueues one job per package and hub.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDeliveryStoreGroupTests(PostgresFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly HubLink Parent = new("national", HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "h56", [1, 2, 3], null, true);

    [Fact]
    public async Task AForwardsClaimTakesAlongThePackagesOtherWaitingForwardsViaThatHubAndNothingElse()
    {
        var (data, ids) = await SaveAsync(
            Forward("A"), Forward("B"), Forward("C"), new NewDelivery("L", "L", DeliveryMode.Push), new NewDelivery("P", "P", DeliveryMode.Pull));
        var deliveries = new PostgresDeliveryStore(data);
        var held = await deliveries.ClaimPushAsync(ids["C"], Now.AddMinutes(1), TimeSpan.FromMinutes(2), maxGroup: 1);

        var work = await deliveries.ClaimPushAsync(ids["A"], Now.AddMinutes(1), TimeSpan.FromMinutes(2));

        Assert.NotNull(held);
        Assert.NotNull(work);
        Assert.Equal([ids["B"]], work.Companions.Select(c => c.DeliveryId).ToArray());
        Assert.Equal(["A.OLD", "B.OLD"], work.AddressedCodes);
        Assert.Equal(work.LeaseUntil, work.Companions[0].LeaseUntil);
        Assert.Null(await deliveries.ClaimPushAsync(ids["B"], Now.AddMinutes(1), TimeSpan.FromMinutes(2)));
        Assert.Equal(3L, await Scalar(data, "SELECT count(*) FROM lgsp.ledger WHERE kind = 'attempt.started'"));
        Assert.Equal(1L, await Scalar(data, $"SELECT count(*) FROM lgsp.ledger WHERE kind = 'attempt.started' AND delivery_id = {ids["B"]}"));
    }

    [Fact]
    public async Task AGroupOfOneClaimsTheDeliveryAlone()
    {
        var (data, ids) = await SaveAsync(Forward("A"), Forward("B"));

        var work = await new PostgresDeliveryStore(data).ClaimPushAsync(ids["A"], Now.AddMinutes(1), TimeSpan.FromMinutes(2), maxGroup: 1);

        Assert.Empty(work!.Companions);
        Assert.Equal(["A.OLD"], work.AddressedCodes);
    }

    [Fact]
    public async Task TheReconcilerEnqueuesOneForwardPerPackageAndHubAndEveryOtherPushOnItsOwn()
    {
        var (data, ids) = await SaveAsync(Forward("A"), Forward("B"), new NewDelivery("L", "L", DeliveryMode.Push), new NewDelivery("M", "M", DeliveryMode.Push));

        var overdue = await new PostgresDeliveryStore(data).OverduePushesAsync(DateTimeOffset.UtcNow.AddDays(1), 100);

        Assert.Equal(new[] { ids["A"], ids["L"], ids["M"] }, overdue.Select(g => g.Lead));
        Assert.Equal(new[] { ids["A"], ids["B"] }, overdue[0].DeliveryIds);
    }

    [Fact]
    public async Task TheReconcilerReadsOverdueGroupsPageByPageAfterThePreviousPagesLastLead()
    {
        var (data, ids) = await SaveAsync(Forward("A"), Forward("B"), new NewDelivery("L", "L", DeliveryMode.Push), new NewDelivery("M", "M", DeliveryMode.Push));
        var store = new PostgresDeliveryStore(data);

        var first = await store.OverduePushesAsync(DateTimeOffset.UtcNow.AddDays(1), 2);
        var second = await store.OverduePushesAsync(DateTimeOffset.UtcNow.AddDays(1), 2, afterLead: first[^1].Lead);

        Assert.Equal(new[] { ids["A"], ids["L"] }, first.Select(g => g.Lead));
        Assert.Equal(new[] { ids["M"] }, second.Select(g => g.Lead));
    }

    private static NewDelivery Forward(string code) => new(code, code + ".OLD", DeliveryMode.Push) { Via = Parent.Id };

    private async Task<(NpgsqlDataSource Data, Dictionary<string, long> Ids)> SaveAsync(params NewDelivery[] deliveries)
    {
        var database = await StoreDatabase.OpenAsync(fixture, Parent);
        var saved = await database.Packages.SaveAsync(Document("D1", "body"), deliveries, Receipt);
        return (database.Data, saved.Deliveries.ToDictionary(d => d.Delivery.Recipient, d => d.Id));
    }
}
