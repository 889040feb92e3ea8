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
public sealed record HubLink(string Id, HubRole Role, Uri? BaseUrl, string? SystemId, byte[]? SealedSecret, string? InboundSystem, bool Active);
