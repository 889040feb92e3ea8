using System.Reflection;
using Lgsp.Postgres.Locks;
using Npgsql;

namespace Lgsp.Postgres.Schema;

/// <summary>
/// Brings a database's schema up to date from the scripts embedded in this assembly
/// (<c>Schema/Migrations/NNNN_name.sql</c>), applied in name order, each once.
/// </summary>
/// <remarks>
/// <para>What has been applied is recorded in <c>lgsp_schema.migration</c>, a schema of its own so
/// that the scripts create the application schema <c>lgsp</c> themselves. Each script runs in its
/// own transaction together with its record: a failing script leaves no trace and is retried by
/// the next run.</para>
/// <para>A run holds a session advisory lock for its whole duration, so several server instances
/// starting at once apply each script exactly once between them; the others wait and then find
/// nothing left to do.</para>
/// <para>Scripts are never edited once released: a change is a new script.</para>
/// </remarks>
public static class Migrator
{
    private const string ResourcePrefix = "Lgsp.Postgres.Migrations.";
    private const string ResourceSuffix = ".sql";

    private static readonly Assembly s_assembly = typeof(Migrator).Assembly;

    /// <summary>The scripts' names (<c>0001_hub</c>, ...), in the order they are applied.</summary>
    public static IReadOnlyList<string> Scripts { get; } = s_assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(ResourceSuffix, StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^ResourceSuffix.Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Applies the scripts not yet applied to the database at
    /// <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string; the role needs the rights to
    /// create schemas and tables.</param>
    /// <param name="ct">Cancels the run; the script in progress is rolled back.</param>
    /// <returns>The number of scripts applied by this call (0 when the schema was up to date).</returns>
    /// <exception cref="PostgresException">A script failed; the ones before it stay applied.</exception>
    public static async Task<int> ApplyAsync(string connectionString, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);

        // Scripts and the lock wait may take long; the caller's token bounds them, not a timeout.
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKeys.Migration})", ct).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(
                connection,
                null,
                """
                CREATE SCHEMA IF NOT EXISTS lgsp_schema;
                CREATE TABLE IF NOT EXISTS lgsp_schema.migration (
                    name        text PRIMARY KEY,
                    applied_at  timestamptz NOT NULL DEFAULT now()
                );
                """,
                ct).ConfigureAwait(false);

            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand("SELECT name FROM lgsp_schema.migration", connection))
            await using (var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    applied.Add(reader.GetString(0));
                }
            }

            var count = 0;
            foreach (var name in Scripts.Where(n => !applied.Contains(n)))
            {
                await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, Read(name), ct).ConfigureAwait(false);
                await using (var record = new NpgsqlCommand("INSERT INTO lgsp_schema.migration (name) VALUES ($1)", connection, transaction))
                {
                    record.Parameters.Add(new NpgsqlParameter { Value = name });
                    await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await transaction.CommitAsync(ct).ConfigureAwait(false);
                count++;
            }

            return count;
        }
        finally
        {
            // Closing the session releases the lock as well; unlocking first keeps a pooled
            // connection from carrying it if the pool is configured not to reset sessions.
            if (connection.State == System.Data.ConnectionState.Open)
            {
                try
                {
                    await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKeys.Migration})", CancellationToken.None).ConfigureAwait(false);
                }
                catch (NpgsqlException)
                {
                    // The session is broken, which released the lock; the original failure matters.
                }
            }
        }
    }

    /// <summary>The text of script <paramref name="name"/> (as listed in <see cref="Scripts"/>).</summary>
    internal static string Read(string name)
    {
        using var stream = s_assembly.GetManifestResourceStream(ResourcePrefix + name + ResourceSuffix)
            ?? throw new ArgumentException($"No migration script named '{name}'.", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
