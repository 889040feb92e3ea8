using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Ledger;
using Lgsp.Server.Observability;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Lgsp.Server.Outbound.Links;

/// <summary>
/// The child side of witnessing (docs/audit.md, "what witnessing adds"): every
/// <see cref="LedgerOptions.WitnessInterval"/>, on one instance at a time, sends this hub's latest
/// checkpoint not yet countersigned to the parent hub (<c>witnessCheckpoint</c>), checks the
/// countersignature it answers with and stores it with a <c>witness.countersigned</c> ledger entry.
/// </summary>
/// <remarks>
/// <para>The countersignature must verify, chain to this hub's trust roots, be by the parent for
/// this hub, and name the checkpoint sent (last seq, head, SHA-256 of its bytes); otherwise nothing
/// is stored, the problem is logged and counted, and the next cycle asks again. A parent that is down
/// is retried next cycle; the parent is idempotent, so a lost answer costs nothing.</para>
/// <para>Thread safe.</para>
/// </remarks>
public sealed class WitnessSender : ParentLinkLoop
{
    private readonly AxisClient _axis;
    private readonly IWitnessStore _store;
    private readonly TrustCache _trust;
    private readonly HubIdentity _hub;
    private readonly WitnessMetrics _metrics;
    private readonly IOptions<HubOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<WitnessSender> _log;

    /// <summary>Creates the loop.</summary>
    public WitnessSender(IDirectoryStore directory, IExclusiveRun exclusive, AxisClient axis, IWitnessStore store, TrustCache trust, HubIdentity hub,
        WitnessMetrics metrics, IOptions<HubOptions> options, TimeProvider clock, ILogger<WitnessSender> log)
        : base(directory, exclusive, clock, log)
    {
        (_axis, _store, _trust, _hub, _metrics, _options, _clock, _log) = (axis, store, trust, hub, metrics, options, clock, log);
    }

    /// <inheritdoc />
    protected override TimeSpan Interval => _options.Value.Ledger.WitnessInterval;

    /// <inheritdoc />
    protected override ExclusiveWork Work => ExclusiveWork.Witnessing;

    /// <inheritdoc />
    protected override async Task CycleAsync(HubLink parent, CancellationToken ct)
    {
        var next = await _store.NextUnwitnessedAsync(parent.Id, ct);
        if (next is null)
        {
            _metrics.Witnessed("nothing-new");
            return;
        }

        var answer = await _axis.WitnessCheckpointAsync(parent, next.Xml, ct);
        if (answer.Kind != AxisAnswerKind.Ok)
        {
            _metrics.Witnessed(answer.Kind == AxisAnswerKind.Unavailable ? "unavailable" : "refused");
            _log.LogWarning("Parent hub {Hub} did not witness checkpoint through seq {LastSeq}: {Answer}", parent.Id, next.LastSeq, answer.Describe());
            return;
        }

        byte[] xml;
        try
        {
            xml = Convert.FromBase64String(answer.Text("Witness") ?? string.Empty);
        }
        catch (FormatException)
        {
            xml = [];
        }

        if (Problem(parent, next, xml, await _trust.GetAsync(ct)) is { } problem)
        {
            _metrics.Witnessed("bad-countersignature");
            _log.LogError("Parent hub {Hub} answered checkpoint through seq {LastSeq} with a countersignature that does not hold: {Problem}",
                parent.Id, next.LastSeq, problem);
            return;
        }

        var witness = Witness.Verify(xml, SignerCheck.SignatureOnly).Witness!;
        await _store.SaveCountersignatureAsync(witness, xml, "hub", _clock.GetUtcNow(), ct);
        _metrics.Witnessed("countersigned");
        _log.LogInformation("Parent hub {Hub} witnessed head {Head} through seq {LastSeq}", parent.Id, witness.Head, witness.LastSeq);
    }

    /// <summary>Why a countersignature does not answer the checkpoint sent, or null when it does.</summary>
    private string? Problem(HubLink parent, CheckpointToWitness sent, byte[] xml, Edxml.Trust.ICertificateTrust? roots)
    {
        if (xml.Length == 0)
        {
            return "the answer has no base64 Witness";
        }

        // Only the parent's registered signing certificate may countersign, not any seal under the root.
        if (parent.SignerCheck(roots) is not { } signer)
        {
            return $"no signing certificate is registered for parent hub {parent.Id} (lgsp hubs add --id {parent.Id} --signing-cert FILE)";
        }

        var verdict = Witness.Verify(xml, signer);
        if (verdict.Witness is not { } witness || !verdict.IsTrusted)
        {
            return verdict.Problem ?? "witness signer not trusted";
        }

        var checkpoint = Checkpoint.Verify(sent.Xml, SignerCheck.SignatureOnly).Checkpoint;
        var expected = (parent.Id, _hub.Id, sent.LastSeq, checkpoint?.Head, Witness.Sha256Hex(sent.Xml));
        var stated = (witness.WitnessHub, witness.Hub, witness.LastSeq, (string?)witness.Head, witness.CheckpointSha256);
        return expected == stated ? null : $"it states {stated}, the checkpoint sent is {expected}";
    }
}

/// <summary>Witnessing metrics in the hub's registry (<c>/metrics</c>).</summary>
/// <remarks>Thread safe.</remarks>
public sealed class WitnessMetrics
{
    private readonly Counter _cycles;

    /// <summary>Creates the metrics in <paramref name="registry"/> (the hub's, <c>HubMetrics.Registry</c>).</summary>
    public WitnessMetrics(CollectorRegistry registry)
    {
        _cycles = Metrics.WithCustomRegistry(registry).CreateCounter("lgsp_witness_cycles_total",
            "Witnessing cycles against the parent hub, by outcome (countersigned, nothing-new, unavailable, refused, bad-countersignature).", "outcome");
    }

    /// <summary>Counts a witnessing cycle.</summary>
    public void Witnessed(string outcome) => _cycles.WithLabels(outcome).Inc();
}

/// <summary>Wiring for witnessing across hubs.</summary>
public static class WitnessingRegistration
{
    /// <summary>Registers the parent side (<see cref="CheckpointWitness"/>, served by the axis front door)
    /// and, unless <see cref="LedgerOptions.WitnessInterval"/> is zero, the child side
    /// (<see cref="WitnessSender"/>). Needs the hub links (<see cref="AxisClient"/>) and the store
    /// (<see cref="IWitnessStore"/>, <see cref="IExclusiveRun"/>: <c>AddLgspPostgres</c>) registered.</summary>
    public static IServiceCollection AddWitnessing(this IServiceCollection services, LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<CheckpointWitness>();
        services.AddSingleton(sp => new WitnessMetrics(sp.GetRequiredService<HubMetrics>().Registry));
        services.AddSingleton<WitnessSender>();
        if (options.WitnessInterval > TimeSpan.Zero)
        {
            services.AddHostedService(sp => sp.GetRequiredService<WitnessSender>());
        }

        return services;
    }
}
