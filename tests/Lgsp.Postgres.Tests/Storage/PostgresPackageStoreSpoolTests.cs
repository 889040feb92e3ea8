using System.Security.Cryptography;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Storage;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>The package row's body is written from the spool as it is (ADR 0016): neither a spool in
/// memory nor one on disk is copied into another array on the way to the database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPackageStoreSpoolTests(PostgresFixture fixture)
{
    [Theory]
    [InlineData(false, 900_000)]
    [InlineData(true, 8_000_000)]
    public async Task Saving_a_spooled_package_allocates_far_less_than_the_package_and_stores_its_exact_bytes(bool onDisk, int length)
    {
        var database = await StoreDatabase.OpenAsync(fixture);
        var store = database.Packages;
        var bytes = RandomNumberGenerator.GetBytes(length);
        using var spool = PackageSpool.Create(onDisk ? 0 : PackageSpool.DefaultMemoryThreshold);
        spool.Write(bytes);
        spool.Complete();
        Assert.Equal(onDisk, spool.IsOnDisk);
        var deliveries = new[] { new NewDelivery("A", "A", DeliveryMode.Pull) };
        await store.SaveAsync(PostgresPackageStoreTests.Document("warm-up", "first save: the driver's own start-up"), deliveries, PostgresPackageStoreTests.Receipt);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var saved = await store.SaveAsync(PostgresPackageStoreTests.Document("D1", "") with { Body = spool, Sha256 = SHA256.HashData(bytes) },
            deliveries, PostgresPackageStoreTests.Receipt);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        // A copy of the package (Npgsql sizing a stream it cannot seek) would be at least its length.
        Assert.True(allocated < length / 2, $"saving a {length}-byte package allocated {allocated} bytes");
        await using var body = await store.OpenBodyAsync(saved.Acceptance!.PackageId);
        using var stored = new MemoryStream();
        await body.Content.CopyToAsync(stored);
        Assert.Equal(bytes, stored.ToArray());
    }
}
