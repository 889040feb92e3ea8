using System.Xml.Linq;
using Lgsp.Postgres.DataProtection;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.DataProtection;

/// <summary>The console's key ring in <c>lgsp.data_protection_key</c>.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresKeyRingStoreTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_new_database_has_an_empty_ring()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());

        Assert.Empty(new PostgresKeyRingStore(data).ReadAll());
    }

    [Fact]
    public async Task Stored_elements_are_read_back_as_stored_in_the_order_they_came_with_their_friendly_names()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var repository = new PostgresKeyRingStore(data);
        var first = new XElement("key", new XAttribute("id", "1"), new XElement("sealed", "AAAA"));
        var second = new XElement("revocation", new XAttribute("version", "1"), new XElement("reason", "Tiếng Việt"));

        repository.Add("key-1", first.ToString(SaveOptions.DisableFormatting));
        repository.Add("revocation-1", second.ToString(SaveOptions.DisableFormatting));

        var read = new PostgresKeyRingStore(data).ReadAll();
        Assert.Equal([first.ToString(SaveOptions.DisableFormatting), second.ToString(SaveOptions.DisableFormatting)], read);
        await using var names = data.CreateCommand("SELECT friendly_name FROM lgsp.data_protection_key ORDER BY id");
        await using var reader = await names.ExecuteReaderAsync();
        var stored = new List<string>();
        while (await reader.ReadAsync())
        {
            stored.Add(reader.GetString(0));
        }

        Assert.Equal(["key-1", "revocation-1"], stored);
    }

    [Fact]
    public async Task Elements_stored_at_once_by_several_instances_are_all_kept()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var instances = Enumerable.Range(0, 4).Select(_ => new PostgresKeyRingStore(data)).ToList();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            instances[i % instances.Count].Add($"key-{i}", new XElement("key", new XAttribute("id", i)).ToString()))));

        var ids = instances[0].ReadAll().Select(e => (int)XElement.Parse(e).Attribute("id")!).Order();
        Assert.Equal(Enumerable.Range(0, 40), ids);
    }
}
