using Lgsp.Exchange.Directory;

namespace Lgsp.Exchange.Storage;

/// <summary>A client system as stored, with its secret hash.</summary>
/// <param name="System">The system as the rest of the hub sees it.</param>
/// <param name="SecretHash">See <see cref="Directory.SecretHash"/>.</param>
/// <param name="Active">False when disabled.</param>
public sealed record ClientSystemRecord(ClientSystem System, string SecretHash, bool Active)
{
    /// <summary>The secret sealed with the hub's <see cref="Directory.SecretBox"/> (the axis protocol's
    /// HMAC needs the secret itself); null when it was set before secrets were sealed.</summary>
    public byte[]? SealedSecret { get; init; }
}

/// <summary>The sending agency as the accept path reads it, in one lookup: its directory record (null when
/// the directory does not hold it) and whether the envelope signer's certificate is registered for it.</summary>
/// <param name="Agency">The agency, or null.</param>
/// <param name="SignerRegistered">True when the certificate asked about is registered for the agency;
/// false when it is not, or when none was asked about.</param>
public sealed record SenderRecord(Agency? Agency, bool SignerRegistered);

/// <summary>The trust material configured in the directory: DER certificates and CRLs.</summary>
/// <param name="Roots">Trust roots.</param>
/// <param name="Intermediates">Intermediate CAs.</param>
/// <param name="Crls">Certificate revocation lists (DER or PEM).</param>
public sealed record TrustRecords(IReadOnlyList<byte[]> Roots, IReadOnlyList<byte[]> Intermediates, IReadOnlyList<byte[]> Crls);

/// <summary>A client system's request, over the axis protocol's <c>registerAgency</c>, to add or change
/// an agency under its own; it waits for an operator (<c>lgsp agencies approve</c> or <c>reject</c>).</summary>
/// <param name="Code">The agency code asked for.</param>
/// <param name="Name">Its name.</param>
/// <param name="ParentCode">Its parent (one of the system's agencies or below one, when asked).</param>
/// <param name="Mail">Its mail address, if given.</param>
/// <param name="SystemId">The requesting client system, the agency's owner once approved.</param>
/// <param name="RequestedAt">When it asked (last, if it asked again).</param>
public sealed record AgencyRegistrationRequest(string Code, string Name, string? ParentCode, string? Mail, string SystemId, DateTimeOffset RequestedAt);

/// <summary>A client system as the console lists it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Policy">How its packages are judged.</param>
/// <param name="Agencies">The agencies it acts for.</param>
/// <param name="Auditor">An auditor's system.</param>
/// <param name="Hub">The hub that calls with it, when it is a hub's inbound system.</param>
/// <param name="Active">False once disabled.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="LastCallAt">Its last authenticated call, to the minute; null when it never called.</param>
/// <param name="Refusals">Its packages refused since the time asked, by error code, most first.</param>
public sealed record ClientSystemSummary(string Id, PackagePolicy Policy, IReadOnlyList<string> Agencies, bool Auditor, string? Hub, bool Active,
    DateTimeOffset CreatedAt, DateTimeOffset? LastCallAt, IReadOnlyList<(string Code, long Count)> Refusals);
