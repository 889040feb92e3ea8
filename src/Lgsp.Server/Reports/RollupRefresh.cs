using Lgsp.Exchange.Reports;
using Microsoft.Extensions.Options;

namespace Lgsp.Server.Reports;

/// <summary>
/// Keeps the report rollups current: every <see cref="ReportsOptions.RefreshInterval"/> it recounts
/// the days the newly sealed ledger entries touched and the days whose fetch deadlines just passed
/// (docs/adr/0009-report-rollups.md). The accept path never waits for it.
/// </summary>
/// <remarks>Several instances may run it: a refresh that finds another wrote first writes nothing.
/// A failed round is logged and the next one retries.</remarks>
public sealed class RollupRefresh(ReportService reports, IOptions<HubOptions> options, ILogger<RollupRefresh> log) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Reports.RefreshInterval;
        if (interval <= TimeSpan.Zero)
        {
            log.LogWarning("Report rollups are not refreshed on this instance (Hub:Reports:RefreshInterval is zero)");
            return;
        }

        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                try
                {
                    var days = await reports.RefreshAsync(stoppingToken);
                    if (days > 0)
                    {
                        log.LogDebug("Recounted the report rollups of {Days} day(s)", days);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    log.LogError(ex, "Refreshing the report rollups failed; the next round retries");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
