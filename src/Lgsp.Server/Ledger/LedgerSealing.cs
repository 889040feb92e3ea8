using Lgsp.Exchange.Receipts;
using Lgsp.Postgres.Ledger;
using Lgsp.Server.Observability;
using Microsoft.Extensions.Options;

namespace Lgsp.Server.Ledger;

/// <summary>
/// Seals the ledger in the background: every <see cref="LedgerOptions.SealInterval"/>, and once more
/// when the hub stops (before its database does), so entries are unsealed for at most a few seconds.
/// The accept path never waits for it.
/// </summary>
/// <remarks>Several instances may run it against one database: <see cref="PostgresLedgerSealer"/>
/// lets one seal at a time. A failed round is logged and the next one retries.</remarks>
public sealed class LedgerSealing(PostgresLedgerSealer sealer, HubIdentity hub, HubMetrics metrics, IOptions<HubOptions> options,
    ILogger<LedgerSealing> log) : BackgroundService
{
    private readonly LedgerOptions _options = options.Value.Ledger;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Sealing)
        {
            log.LogWarning("Ledger sealing is paused on this instance (Hub:Ledger:Sealer=false or SealInterval=0)");
            return;
        }

        using var timer = new PeriodicTimer(_options.SealInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SealOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync seals what is left.
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_options.Sealing)
        {
            await SealOnceAsync(cancellationToken);
        }
    }

    private async Task SealOnceAsync(CancellationToken ct)
    {
        try
        {
            var result = await sealer.SealAsync(hub, ct);
            if (result.Checkpoints > 0)
            {
                metrics.Sealed(result.Checkpoints, result.Entries);
                log.LogDebug("Sealed {Entries} ledger entries in {Checkpoints} checkpoint(s), through seq {LastSeq}", result.Entries, result.Checkpoints, result.LastSeq);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogError(ex, "Sealing the ledger failed; the next round retries");
        }
    }
}

/// <summary>Wiring for ledger sealing.</summary>
public static class LedgerSealingRegistration
{
    /// <summary>Registers the background sealing. Needs the sealer registered (<c>AddLgspPostgres</c>).</summary>
    public static IServiceCollection AddLedgerSealing(this IServiceCollection services)
    {
        services.AddHostedService<LedgerSealing>();
        return services;
    }
}
