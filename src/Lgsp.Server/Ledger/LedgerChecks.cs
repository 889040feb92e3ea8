using System.Threading.Channels;
using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Ledger;
using Lgsp.Postgres.Ledger;

namespace Lgsp.Server.Ledger;

/// <summary>
/// Runs the console's ledger checks in the hub's background: <see cref="StartVerifyAsync"/> and
/// <see cref="StartWitnessCheckAsync"/> record the run (one of each kind at a time: the store refuses a
/// second), and this service walks the ledger (<see cref="PostgresLedger.VerifyAsync"/> pinned to the
/// hub's own signing certificate, or <see cref="WitnessCheck"/> against the parent's countersignatures),
/// writing its progress every <see cref="ProgressEvery"/> and its outcome at the end.
/// </summary>
/// <remarks>A run left behind by a hub that stopped is given up by the next start once it has shown no
/// progress for <see cref="StaleAfter"/>.</remarks>
public sealed partial class LedgerChecks(PostgresLedger ledger, ILedgerAudit audit, HubIdentity hub, IDirectoryStore directory, TrustCache trust,
    IWitnessStore witnesses, TimeProvider clock, ILogger<LedgerChecks> log)
    : BackgroundService, ILedgerChecks
{
    /// <summary>How often a running check writes how far it got (and so shows it is alive).</summary>
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    /// <summary>How long a running check may go without progress before a new start gives it up.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    private readonly Channel<LedgerCheckRun> _runs = Channel.CreateUnbounded<LedgerCheckRun>(new UnboundedChannelOptions { SingleReader = true });

    /// <inheritdoc />
    public async Task<LedgerCheckStart> StartVerifyAsync(string startedBy, CancellationToken ct = default)
    {
        var status = await ledger.StatusAsync(ct);
        var now = clock.GetUtcNow();
        if (await audit.StartCheckAsync(startedBy, 0, status.LastSeq, now, now - StaleAfter, LedgerCheckKind.VerifyLedger, ct) is { } started)
        {
            log.LogInformation("Ledger check {Id} (verify-ledger through seq {ToSeq}) started by {Actor}", started.Id, started.ToSeq, startedBy);
            await _runs.Writer.WriteAsync(started, ct);
            return new LedgerCheckStart(started, false);
        }

        return await RunningAsync(LedgerCheckKind.VerifyLedger, ct);
    }

    private async Task<LedgerCheckStart> RunningAsync(LedgerCheckKind kind, CancellationToken ct)
    {
        var running = (await audit.ChecksAsync(10, ct)).FirstOrDefault(r => r.Running && r.Kind == kind);
        return new LedgerCheckStart(running, true);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var run in _runs.Reader.ReadAllAsync(stoppingToken))
            {
                await RunAsync(run, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a run cut short was finished as failed by RunAsync.
        }
    }

    private async Task RunAsync(LedgerCheckRun run, CancellationToken stoppingToken)
    {
        long walked = -1;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var reporter = ReportProgressAsync(run.Id, () => Interlocked.Read(ref walked), done.Token);
        var progress = new Progress(seq => Interlocked.Exchange(ref walked, seq));
        try
        {
            var found = run.Kind == LedgerCheckKind.WitnessCheck
                ? await WitnessCheckAsync(progress, stoppingToken)
                : await VerifyAsync(run.FromSeq, progress, stoppingToken);
            await done.CancelAsync();
            await reporter;
            if (found.Problem is not null)
            {
                log.LogWarning("Ledger check {Id} ({Kind}): the ledger is broken at seq {Seq}: {Problem}", run.Id, run.Kind, found.BreakSeq, found.Problem);
                await audit.FinishCheckAsync(run.Id, LedgerCheckOutcome.Broken, found.BreakSeq, found.Problem, found.Entries, found.Checkpoints, clock.GetUtcNow(), CancellationToken.None);
            }
            else
            {
                log.LogInformation("Ledger check {Id} ({Kind}): the ledger holds ({Entries} entries, {Checkpoints} checkpoints)", run.Id, run.Kind, found.Entries, found.Checkpoints);
                await audit.FinishCheckAsync(run.Id, LedgerCheckOutcome.Holds, null, null, found.Entries, found.Checkpoints, clock.GetUtcNow(), CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            await done.CancelAsync();
            await reporter;
            log.LogError(ex, "Ledger check {Id} failed", run.Id);
            var problem = ex is OperationCanceledException ? "the hub stopped during the check" : ex.Message;
            try
            {
                await audit.FinishCheckAsync(run.Id, LedgerCheckOutcome.Failed, null, problem, null, null, clock.GetUtcNow(), CancellationToken.None);
            }
            catch (Exception store) when (store is not OperationCanceledException)
            {
                // The next start gives the run up once it is stale.
                log.LogError(store, "Recording the failure of ledger check {Id} failed", run.Id);
            }
        }
    }

    private async Task<Found> VerifyAsync(long fromSeq, IProgress<long> progress, CancellationToken ct)
    {
        // The pin: only the hub's own certificate may have signed its checkpoints; a chain to a root
        // would admit any certificate under it.
        var signer = new SignerCheck(Trust: null).PinnedTo([hub.Certificate]);
        var verdict = await ledger.VerifyAsync(signer, fromSeq, progress, ct);
        return new Found(verdict.Break?.Seq, verdict.Break?.Problem, verdict.SealedEntries, verdict.Checkpoints);
    }

    /// <summary>What a walk found: the first break (seq and problem) or none, and what it covered.</summary>
    private sealed record Found(long? BreakSeq, string? Problem, long Entries, int Checkpoints);

    private async Task ReportProgressAsync(long id, Func<long> walked, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(ProgressEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var seq = walked();
                await audit.ProgressAsync(id, seq < 0 ? null : seq, clock.GetUtcNow(), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The walk ended.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Progress is shown, not needed: the outcome is written at the end either way.
            log.LogWarning(ex, "Writing the progress of ledger check {Id} failed", id);
        }
    }

    /// <summary>Reports synchronously: the walk only stores the latest seq.</summary>
    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}

/// <summary>Wiring for the console's ledger checks.</summary>
public static class LedgerChecksRegistration
{
    /// <summary>Registers <see cref="LedgerChecks"/> as the <see cref="ILedgerChecks"/> port and as the
    /// hosted service running them. Needs the hub's identity and <c>AddLgspPostgres</c>.</summary>
    public static IServiceCollection AddLedgerChecks(this IServiceCollection services)
    {
        services.AddSingleton<LedgerChecks>();
        services.AddSingleton<ILedgerChecks>(sp => sp.GetRequiredService<LedgerChecks>());
        services.AddHostedService(sp => sp.GetRequiredService<LedgerChecks>());
        return services;
    }
}
