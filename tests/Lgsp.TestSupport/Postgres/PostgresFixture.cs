using System.Diagnostics;
using Lgsp.Postgres.Cluster;
using Lgsp.Postgres.Schema;
using Npgsql;
using Xunit;

namespace Lgsp.TestSupport.Postgres;

/// <summary>
/// One throwaway PostgreSQL cluster for a test assembly, with a migrated template database
/// (<see cref="TemplateDatabase"/>) from which <see cref="CreateDatabaseAsync"/> copies a fresh,
/// isolated database in milliseconds.
/// </summary>
/// <remarks>
/// Share it through the <see cref="PostgresCollection"/> collection. Thread safe: tests may
/// create databases concurrently.
/// </remarks>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>The migrated database every test database is copied from.</summary>
    public const string TemplateDatabase = "template_lgsp";

    private readonly List<string> _startupLog = [];
    private PostgresCluster? _cluster;

    /// <summary>The running cluster.</summary>
    /// <exception cref="InvalidOperationException">Before <see cref="InitializeAsync"/>.</exception>
    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture has not started its cluster yet.");

    /// <summary>A connection string for the cluster's <c>postgres</c> database (to create, drop
    /// or inspect databases).</summary>
    public string ServerConnectionString => Cluster.ConnectionStringFor("postgres");

    /// <summary>What the start-up printed, one line per step (shown when a test fails to start).</summary>
    public IReadOnlyList<string> StartupLog => _startupLog;

    /// <summary>Starts the cluster, creates <see cref="TemplateDatabase"/> and migrates it.</summary>
    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        _cluster = await PostgresCluster.Temporary(Record, database: TemplateDatabase);

        // No pool for the template: CREATE DATABASE ... TEMPLATE fails while any session,
        // idle pooled ones included, is connected to it.
        var template = new NpgsqlConnectionStringBuilder(Cluster.ConnectionStringFor(TemplateDatabase)) { Pooling = false };
        await Migrator.ApplyAsync(template.ConnectionString);

        await using var server = await OpenServerAsync();
        await using var seal = new NpgsqlCommand($"ALTER DATABASE {TemplateDatabase} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", server);
        await seal.ExecuteNonQueryAsync();
        Record($"Cluster started and {TemplateDatabase} migrated in {watch.ElapsedMilliseconds} ms");
    }

    /// <summary>Creates a database copied from <see cref="TemplateDatabase"/> (so already migrated)
    /// and returns a connection string for it.</summary>
    /// <param name="name">The database name; null for a unique one.</param>
    public Task<string> CreateDatabaseAsync(string? name = null) => CreateAsync(name, TemplateDatabase);

    /// <summary>Creates an empty database (copied from <c>template0</c>, no schema) and returns a
    /// connection string for it: for testing the migrator itself.</summary>
    /// <param name="name">The database name; null for a unique one.</param>
    public Task<string> CreateEmptyDatabaseAsync(string? name = null) => CreateAsync(name, "template0");

    /// <summary>A connection string to a fresh copy of <paramref name="template"/>, a database of this
    /// cluster nobody is connected to (for example one seeded once for many tests).</summary>
    public Task<string> CreateDatabaseFromAsync(string template, string? name = null) => CreateAsync(name, template);

    /// <summary>Stops the cluster and deletes its directory.</summary>
    public async Task DisposeAsync()
    {
        if (_cluster is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await _cluster.DisposeAsync();
        _cluster = null;
    }

    private void Record(string line)
    {
        lock (_startupLog)
        {
            _startupLog.Add(line);
        }
    }

    private async Task<string> CreateAsync(string? name, string template)
    {
        name ??= "t_" + Guid.NewGuid().ToString("N");
        await using var server = await OpenServerAsync();
        await using var create = new NpgsqlCommand(
            $"CREATE DATABASE {PostgresIdentifier(name)} TEMPLATE {PostgresIdentifier(template)}", server);
        await create.ExecuteNonQueryAsync();
        return Cluster.ConnectionStringFor(name);
    }

    private async Task<NpgsqlConnection> OpenServerAsync()
    {
        var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static string PostgresIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>
/// The test collection that shares one <see cref="PostgresFixture"/>: put
/// <c>[Collection(PostgresCollection.Name)]</c> on a test class and take the fixture in its
/// constructor.
/// </summary>
/// <remarks>
/// xunit only honours collection definitions declared in the test assembly itself, so each test
/// assembly adds the one-line definition
/// <c>[CollectionDefinition(PostgresCollection.Name)] public sealed class PostgresTests : PostgresCollection;</c>
/// </remarks>
public abstract class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "PostgreSQL";
}
