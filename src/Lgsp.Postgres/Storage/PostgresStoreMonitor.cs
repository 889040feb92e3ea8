using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Ledger;
using Npgsql;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="IStoreMonitor"/> on PostgreSQL.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class PostgresStoreMonitor(NpgsqlDataSource dataSource) : IStoreMonitor
{
    private readonly PostgresLedger _ledger = new(dataSource);

    /// <inheritdoc />
    public async Task<StoreFigures> ReadFiguresAsync(CancellationToken ct = default)
    {
        var deliveries = Enum.GetValues<DeliveryState>().ToDictionary(s => s, _ => 0L);
        await using (var command = dataSource.CreateCommand("SELECT state, count(*) FROM lgsp.delivery GROUP BY state"))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                deliveries[Words.State(reader.GetString(0))] = reader.GetInt64(1);
            }
        }

        var ledger = await _ledger.StatusAsync(ct).ConfigureAwait(false);
        return new StoreFigures(deliveries, ledger.Unsealed, ledger.OldestUnsealedAt);
    }

    /// <inheritdoc />
    public async Task<Exception?> ProbeAsync(CancellationToken ct = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return ex;
        }
    }
}
