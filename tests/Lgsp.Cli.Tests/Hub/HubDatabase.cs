using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Cli.Tests.Hub;

/// <summary>A fresh migrated database for one test, its stores, and the CLI run against it.</summary>
internal sealed class HubDatabase : IAsyncDisposable
{
    private HubDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
        Directory = new PostgresDirectoryStore(DataSource, TimeProvider.System);
        Packages = new PostgresPackageStore(DataSource);
    }

    public string ConnectionString { get; }

    /// <summary>The hub's secret key for this test (created by the first command that seals a secret).</summary>
    public string SecretKeyPath { get; } = Path.Combine(System.IO.Directory.CreateTempSubdirectory("lgsp-cli-key-").FullName, "secret.key");

    public NpgsqlDataSource DataSource { get; }

    public PostgresDirectoryStore Directory { get; }

    public PostgresPackageStore Packages { get; }

    public static async Task<HubDatabase> CreateAsync(PostgresFixture fixture) => new(await fixture.CreateDatabaseAsync());

    /// <summary>Runs the lgsp command with <c>--database</c> pointing here and <c>--secret-key</c> at this test's key.</summary>
    public (int Exit, string Output, string Error) Run(params string[] args) => CliRunner.Run([.. args, "--database", ConnectionString, "--secret-key", SecretKeyPath]);

    /// <summary>Runs the command and asserts it exits 0.</summary>
    public string Ok(params string[] args)
    {
        var (exit, output, error) = Run(args);
        Assert.True(exit == 0, $"exit {exit}: {error}{output}");
        return output;
    }

    public async Task<object?> ScalarAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return await command.ExecuteScalarAsync();
    }

    public async Task<List<(string Kind, string Actor, string Detail)>> LedgerAsync()
    {
        await using var command = DataSource.CreateCommand("SELECT kind, actor, detail::text FROM lgsp.ledger ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
