namespace Lgsp.Server.Outbound.Links;

/// <summary>How this hub talks to its parent hub (configuration section <c>Hub:Parent</c>). The parent
/// itself (its base URL, the system id and secret this hub presents) is a hub record in the directory
/// (<c>lgsp hubs add --role parent</c>); these are only the rhythms.</summary>
public sealed class ParentLinkOptions
{
    /// <summary>How often this hub asks the parent for packages addressed below it (documents, then
    /// statuses). Deliveries down the tree are pulled, so this is the latency each tier adds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often this hub copies the parent's directory (<c>getSynchronizeUnit</c>).</summary>
    public TimeSpan DirectorySyncInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The timeout of one call to another hub (a forward, a list, a fetch).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most packages taken from one list answer in one poll cycle.</summary>
    public int MaxPerPoll { get; set; } = 500;

    /// <summary>How long after a forward this hub keeps asking the parent what became of it (the
    /// parent's <c>getSentEdocList</c>, each poll cycle): a forward neither failed nor confirmed beyond
    /// the parent within it stays <c>delivered</c> and is no longer asked about.</summary>
    public TimeSpan FollowUpWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The most recipients one forward to another hub carries (ADR 0017): a package's deliveries
    /// via the same hub go in one <c>sendEdoc</c>; 1 forwards one recipient per call, as before.</summary>
    public int MaxForwardGroup { get; set; } = Exchange.Delivery.RetryPolicy.DefaultForwardGroup;
}
