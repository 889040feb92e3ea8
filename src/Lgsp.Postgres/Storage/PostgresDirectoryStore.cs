using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="IDirectoryStore"/> on PostgreSQL. Every change is written with its ledger entry
/// in one transaction.</summary>
/// <remarks>Thread safe.</remarks>
// This file runs each change with its ledger entry in one transaction; what the store keeps is in
// PostgresDirectoryStore.Agencies.cs, .Systems.cs, .Hubs.cs and .Trust.cs.
public sealed partial class PostgresDirectoryStore(NpgsqlDataSource dataSource, TimeProvider clock) : IDirectoryStore
{
    // The entry is made after the change, so it can say what the change did.
    private async Task ChangeAsync(Func<DateTimeOffset, NewLedgerEntry> entry, Func<NpgsqlConnection, NpgsqlTransaction, DateTimeOffset, Task> change, CancellationToken ct)
    {
        var at = Timestamps.Truncate(clock.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await change(connection, tx, at);
        await LedgerWriter.AppendAsync(tx, entry(at), ct: ct);
        await tx.CommitAsync(ct);
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, string column, string value, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {table} WHERE {column} = $1)", connection, tx);
        command.Parameters.AddWithValue(value);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}
