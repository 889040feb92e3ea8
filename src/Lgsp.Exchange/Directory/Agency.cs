namespace Lgsp.Exchange.Directory;

/// <summary>The tiers of government an agency can sit at. Stored as lower-case words.</summary>
public static class AgencyTier
{
    /// <summary>Ministries, central bodies, the national axis.</summary>
    public const string Central = "central";

    /// <summary>A provincial People's Committee or Council.</summary>
    public const string Province = "province";

    /// <summary>A provincial department (sở, ban, ngành).</summary>
    public const string Department = "department";

    /// <summary>A district (until mid-2025).</summary>
    public const string District = "district";

    /// <summary>A commune, ward or town.</summary>
    public const string Commune = "commune";

    /// <summary>Anything else (public service units, enterprises).</summary>
    public const string Other = "other";

    /// <summary>All tiers.</summary>
    public static IReadOnlyList<string> All { get; } = [Central, Province, Department, District, Commune, Other];

    /// <summary>True for a known tier word.</summary>
    public static bool IsKnown(string? tier) => tier is not null && All.Contains(tier, StringComparer.Ordinal);
}

/// <summary>An agency in the directory. The hierarchy is data: parent and tier are stored, never read
/// from the code's digits.</summary>
/// <param name="Code">The agency identifier (mã định danh).</param>
/// <param name="Name">Its name.</param>
/// <param name="ParentCode">Its parent in the directory, if any.</param>
/// <param name="Tier">One of <see cref="AgencyTier"/>.</param>
/// <param name="Active">False once retired.</param>
/// <param name="SuccessorCode">Where documents addressed to a retired code go.</param>
/// <param name="PushEndpoint">An absolute http(s) URL the hub pushes to; null when the agency pulls.</param>
/// <param name="ChangedAt">When the entry last changed.</param>
public sealed record Agency(
    string Code,
    string Name,
    string? ParentCode,
    string Tier,
    bool Active,
    string? SuccessorCode,
    Uri? PushEndpoint,
    DateTimeOffset ChangedAt)
{
    /// <summary>The hub that serves the agency (see <see cref="HubLink"/>); null when this hub does.</summary>
    public string? ServedBy { get; init; }

    /// <summary>True when <see cref="Code"/> follows neither written form and the administrator accepted it
    /// as an exception (<c>lgsp agencies add CODE --nonstandard</c>): packages naming it pass the strict
    /// policy. Legacy systems need only the code to be in the directory.</summary>
    public bool NonStandard { get; init; }

    /// <summary>A tombstone: the agency was deleted where it is served (the axis protocol's
    /// <c>deleted</c>), kept inactive so that a directory sync passes the deletion on to child hubs.</summary>
    public bool Deleted { get; init; }
}

/// <summary>A signer certificate registered for an agency (<c>lgsp agencies cert add</c>).</summary>
/// <param name="Agency">The agency it signs for.</param>
/// <param name="Subject">The certificate's subject.</param>
/// <param name="Sha256">Its SHA-256 fingerprint, lower-case hex.</param>
/// <param name="NotAfter">When it expires.</param>
public sealed record AgencyCertificate(string Agency, string Subject, string Sha256, DateTimeOffset NotAfter);

/// <summary>How strictly a client system's packages are judged.</summary>
public enum PackagePolicy
{
    /// <summary>A trusted XMLDSig envelope signature by a certificate registered for the sender.</summary>
    Strict,

    /// <summary>Unsigned and placeholder-signed packages are accepted and recorded as such; a signature
    /// that is present must still verify.</summary>
    Legacy,
}

/// <summary>An agency's document-management system, as authenticated: it may act only for
/// <see cref="Agencies"/>.</summary>
/// <param name="Id">The system id (the HTTP Basic user name).</param>
/// <param name="Policy">The package policy its packages are judged by.</param>
/// <param name="Agencies">The agencies it may send as and receive for.</param>
public sealed record ClientSystem(string Id, PackagePolicy Policy, IReadOnlySet<string> Agencies)
{
    /// <summary>When the caller is another hub (a child calling in, or the parent whose pending list this
    /// hub pulls): that hub's id. Such a caller acts for the agencies routed through it, not for a
    /// fixed list.</summary>
    public string? Hub { get; init; }

    /// <summary>True for an auditor's system: it may trace any document, not only its agencies' own.
    /// Sending and receiving stay limited to <see cref="Agencies"/>.</summary>
    public bool IsAuditor { get; init; }

    /// <summary>True when the system may act for <paramref name="agency"/>.</summary>
    public bool ActsFor(string? agency) => agency is not null && Agencies.Contains(agency);
}
