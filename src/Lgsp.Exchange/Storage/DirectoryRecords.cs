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

/// <summary>The trust material configured in the directory: DER certificates and CRLs.</summary>
/// <param name="Roots">Trust roots.</param>
/// <param name="Intermediates">Intermediate CAs.</param>
/// <param name="Crls">Certificate revocation lists (DER or PEM).</param>
public sealed record TrustRecords(IReadOnlyList<byte[]> Roots, IReadOnlyList<byte[]> Intermediates, IReadOnlyList<byte[]> Crls);
