using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Evidence;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.DataProtection;
using Lgsp.Postgres.Evidence;
using Lgsp.Postgres.Ledger;
using Lgsp.Postgres.Locks;
using Lgsp.Postgres.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Lgsp.Postgres.Hosting;

/// <summary>Settings of the PostgreSQL adapters that the connection string does not carry.</summary>
public sealed record LgspPostgresOptions
{
    /// <summary>The most ledger entries one checkpoint covers.</summary>
    public int SealBatchSize { get; init; } = PostgresLedgerSealer.DefaultBatchSize;

    /// <summary>How long one sealing round waits for the transactions in flight when it starts.</summary>
    public TimeSpan SealInFlightWait { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>Wiring of the hub's PostgreSQL adapters.</summary>
public static class PostgresRegistration
{
    /// <summary>Registers one data source on <paramref name="connectionString"/> and every adapter on it:
    /// the stores (<see cref="IDirectoryStore"/>, <see cref="IPackageStore"/>, <see cref="IDeliveryStore"/>,
    /// <see cref="IReplayStore"/>, <see cref="IAxisStore"/>, <see cref="IForwardStore"/>, <see cref="IFarReportStore"/>, <see cref="IWitnessStore"/>, <see cref="IConsoleUserStore"/>, <see cref="IDocumentStore"/>), the ledger
    /// (<see cref="PostgresLedger"/>, <see cref="PostgresLedgerSealer"/>), the evidence export, the
    /// exclusive runs (<see cref="IExclusiveRun"/>), the monitor (<see cref="IStoreMonitor"/>), the console's figures (<see cref="IHubFigures"/>) and its data-protection key ring (<see cref="IKeyRingStore"/>).
    /// Uses the <see cref="TimeProvider"/> registered, else the system clock.</summary>
    /// <param name="services">The hub's services.</param>
    /// <param name="connectionString">The hub's database, migrated.</param>
    /// <param name="options">The adapters' settings; the defaults when null.</param>
    public static IServiceCollection AddLgspPostgres(this IServiceCollection services, string connectionString, LgspPostgresOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        options ??= new LgspPostgresOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => NpgsqlDataSource.Create(WithWriteBuffer(WithPreparedStatements(connectionString))));

        services.AddSingleton<PostgresDirectoryStore>();
        services.AddSingleton<IDirectoryStore>(sp => sp.GetRequiredService<PostgresDirectoryStore>());
        services.AddSingleton<IPackageStore, PostgresPackageStore>();
        services.AddSingleton<PostgresDeliveryStore>();
        services.AddSingleton<IDeliveryStore>(sp => sp.GetRequiredService<PostgresDeliveryStore>());
        services.AddSingleton<IReplayStore>(sp => sp.GetRequiredService<PostgresDeliveryStore>());
        services.AddSingleton<IAxisStore, PostgresAxisStore>();
        services.AddSingleton<IForwardStore, PostgresForwardStore>();
        services.AddSingleton<IFarReportStore, PostgresFarReportStore>();
        services.AddSingleton<IWitnessStore, PostgresWitnessStore>();
        services.AddSingleton<IConsoleUserStore, PostgresConsoleUserStore>();
        services.AddSingleton<IDocumentStore, PostgresDocumentStore>();
        services.AddSingleton<ICalendarStore, PostgresCalendarStore>();
        services.AddSingleton<IReportStore, PostgresReportStore>();

        services.AddSingleton(sp => new PostgresLedgerSealer(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>(),
            options.SealBatchSize, options.SealInFlightWait));
        services.AddSingleton<PostgresLedger>();
        services.AddSingleton<PostgresEvidenceExport>();
        // Resolved only where the hub's identity is registered (the server), for the console's download.
        services.AddSingleton<IEvidenceExport>(sp => new HubEvidenceExport(sp.GetRequiredService<PostgresEvidenceExport>(), sp.GetRequiredService<HubIdentity>()));

        services.AddSingleton<IExclusiveRun, PostgresExclusiveRun>();
        services.AddSingleton<IStoreMonitor, PostgresStoreMonitor>();
        services.AddSingleton<IHubFigures, PostgresHubFigures>();
        services.AddSingleton<ILedgerAudit, PostgresLedgerAudit>();
        // The console's data-protection key ring; the host seals what it stores (Lgsp.Web's ConsoleKeyRing).
        services.AddSingleton<IKeyRingStore, PostgresKeyRingStore>();
        return services;
    }

    /// <summary>The accept path runs the same few statements for every package (their SQL text does not
    /// change with the number of recipients: arrays, not value lists); letting Npgsql prepare
    /// them measured a third more accepts per second (bench/README.md). A connection string that sets
    /// these itself keeps its values.</summary>
    internal static string WithPreparedStatements(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Sets(connectionString, "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>The bytes Npgsql gathers before a write to the socket. At its default (8 KiB) a ~100 KB
    /// package went to PostgreSQL in 13 writes, 19 sends per accept in all; at 64 KiB it goes in two, and
    /// the buffer, allocated once per connection, stays below the large-object threshold (bench/README.md,
    /// "Hub CPU outside the GC"). A connection string that sets it keeps its value.</summary>
    internal const int WriteBufferBytes = 64 * 1024;

    /// <summary>The connection string with <see cref="WriteBufferBytes"/> unless it sets its own.</summary>
    internal static string WithWriteBuffer(string connectionString) =>
        Sets(connectionString, "WriteBufferSize")
            ? connectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { WriteBufferSize = WriteBufferBytes }.ConnectionString;

    // NpgsqlConnectionStringBuilder.ContainsKey is true for every keyword Npgsql knows, set or not, so the
    // keys actually written are read with the plain builder (spaces and case do not matter to Npgsql).
    private static bool Sets(string connectionString, string keyword) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), keyword, StringComparison.OrdinalIgnoreCase));
}
