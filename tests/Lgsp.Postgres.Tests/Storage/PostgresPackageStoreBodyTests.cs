using System.Security.Cryptography;
using System.Text;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>A package's body is streamed from the database: the exact bytes and their length, on a
/// connection the body gives back when disposed; a push claim opens it the same way and carries the sender.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPackageStoreBodyTests(PostgresFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_body_opened_from_the_store_streams_the_exact_bytes_with_their_length()
    {
        var (data, store) = await OpenAsync();
        var text = Convert.ToBase64String(RandomNumberGenerator.GetBytes(3 * 1024 * 1024));
        await store.SaveAsync(PostgresPackageStoreTests.Document("D1", text), [new NewDelivery("A", "A", DeliveryMode.Pull)], PostgresPackageStoreTests.Receipt);
        var id = await FirstPackageAsync(data);

        await using var body = await store.OpenBodyAsync(id);

        Assert.Equal(Encoding.UTF8.GetByteCount(text), body.Length);
        Assert.Equal(Encoding.UTF8.GetBytes(text), await BytesOf(body));
    }

    [Fact]
    public async Task Bodies_opened_and_disposed_one_after_another_give_their_connections_back()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await using var data = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 2, Timeout = 5 }.ConnectionString);
        var store = new PostgresPackageStore(data);
        await store.SaveAsync(PostgresPackageStoreTests.Document("D1", "body"), [new NewDelivery("A", "A", DeliveryMode.Pull)], PostgresPackageStoreTests.Receipt);
        var id = await FirstPackageAsync(data);

        for (var i = 0; i < 5; i++)
        {
            await using var body = await store.OpenBodyAsync(id);
            Assert.Equal("body"u8.ToArray(), await BytesOf(body));
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.OpenBodyAsync(id + 1000));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.OpenBodyAsync(id + 1000));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.OpenBodyAsync(id + 1000));
        await using var last = await store.OpenBodyAsync(id);
        Assert.Equal(4, last.Length);
    }

    [Fact]
    public async Task A_claimed_push_opens_the_packages_exact_bytes_and_names_its_sender()
    {
        var (data, store) = await OpenAsync();
        await new PostgresDirectoryStore(data, TimeProvider.System)
            .SaveAgencyAsync(new Agency("A", "A", null, AgencyTier.Department, true, null, new Uri("http://127.0.0.1:9/in"), default), "test");
        var id = (await store.SaveAsync(PostgresPackageStoreTests.Document("D1", "the body"), [new NewDelivery("A", "A", DeliveryMode.Push)],
            PostgresPackageStoreTests.Receipt)).Deliveries.Single().Id;

        var work = await new PostgresDeliveryStore(data).ClaimPushAsync(id, Now.AddMinutes(1), TimeSpan.FromMinutes(2));

        Assert.Equal("000.00.01.H56", work!.From);
        await using var body = await work.Body(CancellationToken.None);
        Assert.Equal("the body"u8.ToArray(), await BytesOf(body));
    }

    private async Task<(NpgsqlDataSource, PostgresPackageStore)> OpenAsync()
    {
        var database = await StoreDatabase.OpenAsync(fixture);
        return (database.Data, database.Packages);
    }

    private static async Task<long> FirstPackageAsync(NpgsqlDataSource data)
    {
        await using var command = data.CreateCommand("SELECT id FROM lgsp.package");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<byte[]> BytesOf(PackageBody body)
    {
        using var copy = new MemoryStream();
        await body.Content.CopyToAsync(copy);
        return copy.ToArray();
    }
}
