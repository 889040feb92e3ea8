using System.Security.Cryptography.X509Certificates;
using Lgsp.Exchange.Directory;

namespace Lgsp.Exchange.Storage;

/// <summary>The directory and trust configuration: agencies, client systems, signer certificates,
/// trust roots and CRLs.</summary>
/// <remarks>Implementations are thread safe. Every change writes a ledger entry naming
/// <c>actor</c> in the same transaction. Methods throw only for infrastructure failures, except
/// where stated.</remarks>
public interface IDirectoryStore
{
    /// <summary>The client system with that id, or null.</summary>
    Task<ClientSystemRecord?> FindClientSystemAsync(string id, CancellationToken ct = default);

    /// <summary>The agency with that code, or null.</summary>
    Task<Agency?> FindAgencyAsync(string code, CancellationToken ct = default);

    /// <summary>All agencies, or those changed at or after <paramref name="changedSince"/>, by code.</summary>
    Task<IReadOnlyList<Agency>> ListAgenciesAsync(DateTimeOffset? changedSince = null, CancellationToken ct = default);

    /// <summary>True when the certificate with that SHA-256 is registered for the agency.</summary>
    Task<bool> IsSignerRegisteredAsync(string agency, byte[] certificateSha256, CancellationToken ct = default);

    /// <summary>The other hubs this one knows (parent and children), by id.</summary>
    Task<IReadOnlyList<HubLink>> ListHubsAsync(CancellationToken ct = default);

    /// <summary>One hub, or null.</summary>
    Task<HubLink?> FindHubAsync(string id, CancellationToken ct = default);

    /// <summary>The configured trust roots, intermediates and CRLs.</summary>
    Task<TrustRecords> LoadTrustAsync(CancellationToken ct = default);

    /// <summary>Adds an agency or updates it (name, parent, tier, push endpoint).</summary>
    /// <exception cref="Errors.ExchangeException">The parent is unknown.</exception>
    Task SaveAgencyAsync(Agency agency, string actor, CancellationToken ct = default);

    /// <summary>Retires an agency; documents addressed to it go to <paramref name="successor"/>.</summary>
    /// <exception cref="Errors.ExchangeException">Either code is unknown, or the successor chain would loop.</exception>
    Task RetireAgencyAsync(string code, string successor, string actor, CancellationToken ct = default);

    /// <summary>Registers a signer certificate for an agency (idempotent).</summary>
    /// <exception cref="Errors.ExchangeException">The agency is unknown.</exception>
    Task AddAgencyCertificateAsync(string agency, X509Certificate2 certificate, string actor, CancellationToken ct = default);

    /// <summary>Adds a client system or replaces its secret, policy and agencies.</summary>
    /// <exception cref="Errors.ExchangeException">An agency is unknown.</exception>
    Task SaveClientSystemAsync(string id, string secretHash, PackagePolicy policy, IReadOnlyCollection<string> agencies, string actor, CancellationToken ct = default);

    /// <summary>Adds a trust root or intermediate (idempotent).</summary>
    Task AddTrustCertificateAsync(X509Certificate2 certificate, bool root, string actor, CancellationToken ct = default);

    /// <summary>Adds a CRL (idempotent).</summary>
    Task AddCrlAsync(byte[] crl, string issuer, DateTimeOffset thisUpdate, string actor, CancellationToken ct = default);
}
