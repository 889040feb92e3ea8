using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Lgsp.Postgres.DataProtection;

/// <summary>ASP.NET Core's data-protection key ring kept in <c>lgsp.data_protection_key</c>, so that every
/// hub instance on one database protects and reads the console's cookies and form tokens with the same
/// keys, and the keys outlive a restart.</summary>
/// <remarks>
/// <para>Stores the elements it is given as they are: data protection seals each key before it reaches
/// the repository (the host configures the sealing encryptor), so nothing here sees key material.</para>
/// <para>Synchronous because <see cref="IXmlRepository"/> is: data protection reads the ring at start and
/// then about once a day, and writes one row per new key (every 90 days). Thread safe: every call takes
/// its own connection from the data source.</para>
/// </remarks>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    /// <summary>Every stored element, oldest first.</summary>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM lgsp.data_protection_key ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    /// <summary>Adds one element (a new key or a revocation).</summary>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var command = dataSource.CreateCommand("INSERT INTO lgsp.data_protection_key (friendly_name, xml) VALUES ($1, $2)");
        command.Parameters.AddWithValue(friendlyName ?? "");
        command.Parameters.AddWithValue(element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
