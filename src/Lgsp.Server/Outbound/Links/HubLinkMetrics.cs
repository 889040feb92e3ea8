using Prometheus;

namespace Lgsp.Server.Outbound.Links;

/// <summary>Metrics of the links to other hubs, in the hub's registry (<c>/metrics</c>): forwards by
/// outcome, parent poll cycles, packages pulled by outcome, directory syncs.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class HubLinkMetrics
{
    private readonly Counter _forwards;
    private readonly Counter _polls;
    private readonly Counter _pulled;
    private readonly Counter _syncs;
    private readonly Counter _followedUp;

    /// <summary>Creates the metrics in <paramref name="registry"/> (the hub's, <c>HubMetrics.Registry</c>).</summary>
    public HubLinkMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _forwards = factory.CreateCounter("lgsp_hub_forwards_total", "Packages forwarded to another hub, by outcome (delivered, transient, permanent); never by hub: /metrics may be open to scrapers, the log names the hub.", "outcome");
        _polls = factory.CreateCounter("lgsp_parent_polls_total", "Poll cycles against the parent hub, by outcome (done, unavailable, skipped).", "outcome");
        _pulled = factory.CreateCounter("lgsp_parent_pulled_total", "Packages pulled from the parent hub, by message type and outcome (accepted, duplicate, refused, deferred, unavailable).", "messagetype", "outcome");
        _syncs = factory.CreateCounter("lgsp_directory_syncs_total", "Directory syncs from the parent hub, by outcome.", "outcome");
        _followedUp = factory.CreateCounter("lgsp_forward_outcomes_total", "Far outcomes recorded on deliveries forwarded up or handed down to a child hub (failed, acknowledged), follow-up calls the parent did not answer (unavailable), outcome reports to the parent taken (reported) or not (unreported), and reported outcomes refused (report-refused).", "outcome");
    }

    /// <summary>Counts a forward. By outcome only, never by peer hub (metrics carry no identities, like
    /// the stale-timestamp counter); the forward's log line names the hub.</summary>
    public void Forwarded(string outcome) => _forwards.WithLabels(outcome).Inc();

    /// <summary>Counts a poll cycle.</summary>
    public void Polled(string outcome) => _polls.WithLabels(outcome).Inc();

    /// <summary>Counts a pulled package.</summary>
    public void Pulled(string messageType, string outcome) => _pulled.WithLabels(messageType, outcome).Inc();

    /// <summary>Counts a far outcome recorded on a forward or on a hand-off down to a child hub, a follow-up
    /// call that failed, or a report of outcomes to the parent (ADR 0020).</summary>
    public void FollowedUp(string outcome) => _followedUp.WithLabels(outcome).Inc();

    /// <summary>Counts a directory sync.</summary>
    public void Synced(string outcome) => _syncs.WithLabels(outcome).Inc();
}
