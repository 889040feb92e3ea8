using System.Data;
using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Storage;

// A package's body, streamed: the row is read with sequential access, so Npgsql hands the bytea column
// over as a stream off the connection instead of buffering the row (a 50 MB package stays 50 MB in the
// database, a chunk in the hub).
public sealed partial class PostgresPackageStore
{
    /// <inheritdoc />
    public Task<PackageBody> OpenBodyAsync(long packageId, CancellationToken ct = default) => OpenBodyAsync(dataSource, packageId, ct);

    /// <summary>Opens <paramref name="packageId"/>'s body on a connection of its own, which the body
    /// owns until it is disposed: one query, the length first (read from the stored value's header,
    /// without detoasting it), then the bytes as they arrive.</summary>
    /// <exception cref="InvalidOperationException">No such package.</exception>
    internal static async Task<PackageBody> OpenBodyAsync(NpgsqlDataSource dataSource, long packageId, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        NpgsqlCommand? command = null;
        NpgsqlDataReader? reader = null;
        try
        {
            command = new NpgsqlCommand("SELECT octet_length(body), body FROM lgsp.package WHERE id = $1", connection);
            command.Parameters.AddWithValue(packageId);
            reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new InvalidOperationException($"Package {packageId} does not exist.");
            }

            var length = reader.GetInt32(0);
            var content = await reader.GetStreamAsync(1, ct);
            return new PackageBody(content, length, reader, command, connection);
        }
        catch
        {
            if (reader is not null)
            {
                await reader.DisposeAsync();
            }

            if (command is not null)
            {
                await command.DisposeAsync();
            }

            await connection.DisposeAsync();
            throw;
        }
    }
}
