using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;

namespace Lgsp.Exchange.Directory;

/// <summary>Where another hub sits relative to this one. Stored as lower-case words.</summary>
public enum HubRole
{
    /// <summary>The hub above this one (towards the national axis); at most one.</summary>
    Parent,

    /// <summary>A hub below this one, serving a subtree of agencies.</summary>
    Child,
}

/// <summary>Another hub this hub exchanges packages with over the axis protocol.</summary>
/// <param name="Id">The hub's id (as it writes in its receipts).</param>
/// <param name="Role">Parent or child.</param>
/// <param name="BaseUrl">Its axis-protocol base URL (operations are <c>{BaseUrl}/{operation}</c>); null
/// when this hub never calls it.</param>
/// <param name="SystemId">The system id this hub presents when calling it.</param>
/// <param name="SealedSecret">The secret this hub presents, sealed with <see cref="SecretBox"/>.</param>
/// <param name="InboundSystem">The client system the other hub uses when calling this one, if any.</param>
/// <param name="Active">False once disabled.</param>
public sealed record HubLink(string Id, HubRole Role, Uri? BaseUrl, string? SystemId, byte[]? SealedSecret, string? InboundSystem, bool Active)
{
    /// <summary>The certificate the other hub signs its checkpoints and countersignatures with
    /// (<c>lgsp hubs add --signing-cert</c>): witnessing accepts its signatures only from this
    /// certificate, whatever else chains to the root. Null until registered.</summary>
    public X509Certificate2? SigningCertificate { get; init; }

    /// <summary>How packages arriving over this link are judged (<c>--policy</c>): strict by default.</summary>
    public LinkPolicy Policy { get; init; } = LinkPolicy.Strict;

    /// <summary>What the other hub's signatures must satisfy: <paramref name="trust"/>, pinned to
    /// <see cref="SigningCertificate"/>; null when none is registered (nothing of it can be trusted).</summary>
    public SignerCheck? SignerCheck(ICertificateTrust? trust) =>
        SigningCertificate is { } certificate ? new SignerCheck(trust).PinnedTo([certificate]) : null;
}
