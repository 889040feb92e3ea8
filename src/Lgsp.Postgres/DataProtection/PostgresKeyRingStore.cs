using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.DataProtection;

/// <summary>The console's data-protection key ring in <c>lgsp.data_protection_key</c>, so that every hub
/// instance on one database protects and reads the console's cookies and form tokens with the same keys,
/// and the keys outlive a restart.</summary>
/// <remarks>Stores the elements it is given as they are: each key is sealed before it reaches the store
/// (the console's key ring configures the sealing), so nothing here sees key material. Thread safe: every
/// call takes its own connection from the data source.</remarks>
public sealed class PostgresKeyRingStore(NpgsqlDataSource dataSource) : IKeyRingStore
{
    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public IReadOnlyList<string> ReadAll()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM lgsp.data_protection_key ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<string>();
        while (reader.Read())
        {
            elements.Add(reader.GetString(0));
        }

        return elements;
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public void Add(string friendlyName, string element)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var command = dataSource.CreateCommand("INSERT INTO lgsp.data_protection_key (friendly_name, xml) VALUES ($1, $2)");
        command.Parameters.AddWithValue(friendlyName ?? "");
        command.Parameters.AddWithValue(element);
        command.ExecuteNonQuery();
    }
}
