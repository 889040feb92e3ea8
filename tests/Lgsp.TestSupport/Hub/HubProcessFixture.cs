using Lgsp.TestSupport.Postgres;
using Npgsql;
using Xunit;

namespace Lgsp.TestSupport.Hub;

/// <summary>One real hub process shared by the tests of a class (an xUnit class fixture), on its own
/// database and data directory. Started once, by the first test that asks (<see cref="StartAsync"/>: the
/// test cluster is a collection fixture, which a class fixture's constructor cannot take), and stopped
/// with the class. A start that fails stops what it started, and the next test tries again.</summary>
/// <typeparam name="TSelf">The fixture itself, which <see cref="StartAsync"/> returns.</typeparam>
public abstract class HubProcessFixture<TSelf> : IAsyncLifetime
    where TSelf : HubProcessFixture<TSelf>
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _directoryPrefix;
    private bool _started;

    /// <param name="directoryPrefix">The name its temporary data directory starts with.</param>
    protected HubProcessFixture(string directoryPrefix) => _directoryPrefix = directoryPrefix;

    /// <summary>The hub process (set by <see cref="StartCoreAsync"/>).</summary>
    public HubProcess Process { get; protected set; } = null!;

    /// <summary>Its database, created before <see cref="StartCoreAsync"/>.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Its data directory (temporary), created before <see cref="StartCoreAsync"/>.</summary>
    public string DataDirectory { get; private set; } = "";

    /// <summary>Its SOAP endpoint.</summary>
    public Uri SoapUri => Process.SoapUri;

    /// <summary>Its axis-protocol endpoint.</summary>
    public string AxisEndpoint => new Uri(Process.BaseUri, "vxp").ToString();

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Starts the hub on <paramref name="postgres"/> the first time; returns the fixture.</summary>
    public async Task<TSelf> StartAsync(PostgresFixture postgres)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        await _gate.WaitAsync();
        try
        {
            if (!_started)
            {
                ConnectionString = await postgres.CreateDatabaseAsync();
                DataDirectory = Directory.CreateTempSubdirectory(_directoryPrefix).FullName;
                try
                {
                    await StartCoreAsync();
                }
                catch
                {
                    await StopAsync();
                    throw;
                }

                _started = true;
            }

            return (TSelf)this;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Seeds <see cref="ConnectionString"/>, starts <see cref="Process"/> in
    /// <see cref="DataDirectory"/>, and does what every test of the class needs done first.</summary>
    protected abstract Task StartCoreAsync();

    /// <summary>Stops the process and whatever else the fixture started (overrides call the base).</summary>
    protected virtual async Task StopAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
            Process = null!;
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await StopAsync();
        if (DataDirectory.Length == 0)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The temporary folder is cleaned up by the system.
        }
    }

    /// <summary>The first column of the first row of a query on the hub's database.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var data = NpgsqlDataSource.Create(ConnectionString);
        await using var command = data.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }
}
