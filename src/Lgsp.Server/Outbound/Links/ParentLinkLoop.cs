using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Outbound.Links;

/// <summary>A recurring conversation with the parent hub: every <c>interval</c>, when the directory has
/// an active parent with a base URL, one cycle runs on one instance only (<see cref="IExclusiveRun"/>).
/// A failing cycle is logged (once per change of state) and the next one runs on time.</summary>
/// <remarks>Thread safe.</remarks>
public abstract class ParentLinkLoop(IDirectoryStore directory, IExclusiveRun exclusive, TimeProvider clock, ILogger log) : BackgroundService
{
    /// <summary>The directory (hub records, agencies).</summary>
    protected IDirectoryStore Directory { get; } = directory;

    /// <summary>The clock the loop ticks by.</summary>
    protected TimeProvider Clock => clock;

    /// <summary>The time between cycles.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What this loop runs, one instance at a time.</summary>
    protected abstract ExclusiveWork Work { get; }

    /// <summary>One cycle against the parent.</summary>
    protected abstract Task CycleAsync(HubLink parent, CancellationToken ct);

    /// <summary>Runs one cycle now (tests and the first tick): false when there is no parent to talk to
    /// or another instance is running one.</summary>
    /// <exception cref="Exception">Whatever the cycle throws (database unreachable...).</exception>
    public async Task<bool> RunOnceAsync(CancellationToken ct = default)
    {
        var parent = await ParentAsync(Directory, ct);
        return parent is not null && await exclusive.TryRunAsync(Work, c => CycleAsync(parent, c), ct);
    }

    /// <summary>The active parent this hub can call, or null.</summary>
    public static async Task<HubLink?> ParentAsync(IDirectoryStore directory, CancellationToken ct) =>
        (await directory.ListHubsAsync(ct)).FirstOrDefault(h => h is { Role: HubRole.Parent, Active: true, BaseUrl: not null });

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        var failing = new FailureState();
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                if (failing.Recovered())
                {
                    log.LogInformation("{Loop} reaches the parent hub again", GetType().Name);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailure(failing, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    // A parent that is down fails every cycle: one warning when the failure starts or changes, the
    // repeats (with their stack traces) only at Debug, so an outage does not flood the log.
    private void LogFailure(FailureState failing, Exception ex)
    {
        if (failing.Changed(ex))
        {
            log.LogWarning("{Loop} cycle against the parent hub failed: {Error}; retrying every {Interval} (repeats are logged at Debug)",
                GetType().Name, ex.Message, Interval);
        }

        log.LogDebug(ex, "{Loop} cycle against the parent hub failed", GetType().Name);
    }

    /// <summary>The failure the loop last reported, to log once per change of state.</summary>
    internal sealed class FailureState
    {
        private string? _last;

        /// <summary>True when <paramref name="ex"/> starts a failure or differs from the last one.</summary>
        public bool Changed(Exception ex)
        {
            var what = $"{ex.GetType().FullName}: {ex.Message}";
            var changed = what != _last;
            _last = what;
            return changed;
        }

        /// <summary>True once after a failure, when a cycle succeeds again.</summary>
        public bool Recovered()
        {
            var was = _last is not null;
            _last = null;
            return was;
        }
    }
}
