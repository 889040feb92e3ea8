using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Locks;

/// <summary><see cref="IExclusiveRun"/> on PostgreSQL: a session advisory lock held on a connection of
/// its own for the duration of the work. A crashed instance's connection closes and its lock goes with it.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class PostgresExclusiveRun(NpgsqlDataSource dataSource) : IExclusiveRun
{
    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public async Task<bool> TryRunAsync(ExclusiveWork work, Func<CancellationToken, Task> run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var key = AdvisoryLockKeys.Of(work);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection))
        {
            take.Parameters.AddWithValue(key);
            if (await take.ExecuteScalarAsync(ct) is not true)
            {
                return false;
            }
        }

        try
        {
            await run(ct);
            return true;
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            release.Parameters.AddWithValue(key);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }
}
