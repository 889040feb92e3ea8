using Npgsql;

namespace Lgsp.Server.Hubs;

/// <summary>Runs a piece of work on at most one instance at a time across every instance sharing the
/// database, with a PostgreSQL session advisory lock held on a connection of its own for the duration.
/// A crashed instance's connection closes and its lock goes with it.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class ExclusiveRun(NpgsqlDataSource dataSource)
{
    /// <summary>The lock of the parent poller.</summary>
    public const long ParentPoll = 0x6c67_7370_0001;

    /// <summary>The lock of the directory sync.</summary>
    public const long DirectorySync = 0x6c67_7370_0002;

    /// <summary>Runs <paramref name="work"/> when no other instance holds <paramref name="key"/>; returns
    /// false without running it otherwise.</summary>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public async Task<bool> TryRunAsync(long key, Func<CancellationToken, Task> work, CancellationToken ct)
    {
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
            await work(ct);
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
