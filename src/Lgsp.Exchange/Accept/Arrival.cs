namespace Lgsp.Exchange.Accept;

/// <summary>How a package reached this hub, beside its bytes: what the front door was told in transport
/// metadata. Hop information never travels inside the package, so that no hop rewrites it.</summary>
/// <param name="Recipients">The recipients this hub is asked to route (the axis protocol's <c>to</c>),
/// a subset of the codes the package addresses; null: all of them.</param>
/// <param name="Hops">The hubs the package already passed through, first to last (empty when a client
/// system sent it here directly).</param>
/// <param name="PreviousReceiptSha256">SHA-256 (lower-case hex) of the receipt the previous hub issued
/// for the package, when it came from another hub.</param>
public sealed record Arrival(IReadOnlyList<string>? Recipients = null, IReadOnlyList<string>? Hops = null, string? PreviousReceiptSha256 = null)
{
    /// <summary>The policy the previous hub judged the package under, as it says (<c>lgsp-prev-policy</c>,
    /// or <c>Policy</c> in a <c>getEdoc</c> answer); null when it did not say. Only a link whose policy is
    /// <see cref="Directory.LinkPolicy.Inherit"/> acts on it.</summary>
    public Directory.PackagePolicy? PreviousPolicy { get; init; }

    /// <summary>The previous hub's receipt in full, when it came with the package (a pull); its hash is
    /// <see cref="PreviousReceiptSha256"/>.</summary>
    public byte[]? PreviousReceipt { get; init; }

    /// <summary>Sent directly by a client system, to every recipient the package addresses.</summary>
    public static Arrival Direct { get; } = new();
}
