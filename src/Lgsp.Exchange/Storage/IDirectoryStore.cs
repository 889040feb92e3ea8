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

    /// <summary>The agencies with these codes and, for each retired one, its successors as far as the
    /// links go, by code, read at once (routing a package's recipients reads the directory once, however
    /// many they are). A code the directory does not hold is absent.</summary>
    Task<IReadOnlyDictionary<string, Agency>> FindAgenciesAsync(IReadOnlyCollection<string> codes, CancellationToken ct = default);

    /// <summary>All agencies, or those changed at or after <paramref name="changedSince"/>, by code.</summary>
    Task<IReadOnlyList<Agency>> ListAgenciesAsync(DateTimeOffset? changedSince = null, CancellationToken ct = default);

    /// <summary>The codes the directory accepts as non-standard exceptions (<see cref="Agency.NonStandard"/>).</summary>
    Task<IReadOnlySet<string>> ListNonStandardCodesAsync(CancellationToken ct = default);

    /// <summary>True when the certificate with that SHA-256 is registered for the agency.</summary>
    Task<bool> IsSignerRegisteredAsync(string agency, byte[] certificateSha256, CancellationToken ct = default);

    /// <summary>The sending agency's record and, when <paramref name="certificateSha256"/> is given,
    /// whether that certificate is registered for it, read at once (the accept path's signer check and
    /// the sender's tier in one lookup).</summary>
    Task<SenderRecord> FindSenderAsync(string agency, byte[]? certificateSha256, CancellationToken ct = default);

    /// <summary>The other hubs this one knows (parent and children), by id.</summary>
    Task<IReadOnlyList<HubLink>> ListHubsAsync(CancellationToken ct = default);

    /// <summary>One hub, or null.</summary>
    Task<HubLink?> FindHubAsync(string id, CancellationToken ct = default);

    /// <summary>The configured trust roots, intermediates and CRLs.</summary>
    Task<TrustRecords> LoadTrustAsync(CancellationToken ct = default);

    /// <summary>Adds an agency or updates it (name, parent, tier, push endpoint, serving hub). An agency a
    /// client system registered stops being that system's: the operator's word replaces the registration
    /// (its ownership and the mandate it gave are cleared, and the ledger entry says whose).</summary>
    /// <exception cref="Errors.ExchangeException">The parent or the serving hub is unknown.</exception>
    Task SaveAgencyAsync(Agency agency, string actor, CancellationToken ct = default);

    /// <summary>Adds or updates agencies the parent hub <paramref name="hubId"/> serves, as its directory
    /// lists them (the directory sync): new codes are added served by it; codes it already serves take
    /// the name, parent, tier, active flag, successor and tombstone (<see cref="Agency.Deleted"/>) it gives. An agency this hub or a child hub serves is never
    /// changed. One transaction, one ledger entry; returns how many agencies were added or changed.</summary>
    /// <exception cref="Errors.ExchangeException">No parent hub has that id.</exception>
    Task<int> UpsertRemoteAgenciesAsync(string hubId, IReadOnlyCollection<Agency> agencies, string actor, CancellationToken ct = default);

    /// <summary>Adds a hub link or updates it; a null <see cref="HubLink.SealedSecret"/> keeps the stored
    /// secret. The ledger entry never carries the secret.</summary>
    /// <exception cref="Errors.ExchangeException">A parent lacks its URL, system id or secret; another
    /// parent is active; the inbound system is unknown.</exception>
    Task SaveHubAsync(HubLink hub, string actor, CancellationToken ct = default);

    /// <summary>Retires an agency; documents addressed to it go to <paramref name="successor"/>. Like
    /// <see cref="SaveAgencyAsync"/>, it clears a client system's registration of the agency.</summary>
    /// <exception cref="Errors.ExchangeException">Either code is unknown, or the successor chain would loop.</exception>
    Task RetireAgencyAsync(string code, string successor, string actor, CancellationToken ct = default);

    /// <summary>Registers a signer certificate for an agency (idempotent).</summary>
    /// <exception cref="Errors.ExchangeException">The agency is unknown.</exception>
    Task AddAgencyCertificateAsync(string agency, X509Certificate2 certificate, string actor, CancellationToken ct = default);

    /// <summary>Every registered signer certificate, by agency, then expiry.</summary>
    Task<IReadOnlyList<AgencyCertificate>> ListAgencyCertificatesAsync(CancellationToken ct = default);

    /// <summary>Adds a client system or replaces its secret, policy, agencies and role.</summary>
    /// <param name="id">The system id.</param>
    /// <param name="secretHash">The secret's <see cref="SecretHash"/>.</param>
    /// <param name="sealedSecret">The secret sealed with the hub's <see cref="SecretBox"/> (needed by the
    /// axis protocol); null leaves the system without one.</param>
    /// <param name="policy">Its package policy.</param>
    /// <param name="agencies">The agencies it acts for.</param>
    /// <param name="actor">Who makes the change (ledger).</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="auditor">An auditor's system may trace any document.</param>
    /// <exception cref="Errors.ExchangeException">An agency is unknown.</exception>
    Task SaveClientSystemAsync(string id, string secretHash, byte[]? sealedSecret, PackagePolicy policy, IReadOnlyCollection<string> agencies, string actor, CancellationToken ct = default,
        bool auditor = false);

    /// <summary>Replaces a client system's secret (hash and sealed form).</summary>
    /// <returns>False when there is no such system.</returns>
    Task<bool> SetClientSecretAsync(string id, string secretHash, byte[] sealedSecret, string actor, CancellationToken ct = default);

    /// <summary>Every client system with what the console shows of it, by id.</summary>
    /// <param name="refusalsSince">Refusals are counted from then on.</param>
    /// <param name="ct">Cancels.</param>
    Task<IReadOnlyList<ClientSystemSummary>> ListClientSystemsAsync(DateTimeOffset refusalsSince, CancellationToken ct = default);

    /// <summary>Notes that the system called at <paramref name="at"/> (kept when later than what is kept).</summary>
    Task RecordClientCallAsync(string id, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Notes that this hub polled its parent hub <paramref name="id"/> successfully at
    /// <paramref name="at"/> (kept when later than what is kept): the hub links screen shows it.</summary>
    Task RecordHubPollAsync(string id, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>Adds a trust root or intermediate (idempotent).</summary>
    Task AddTrustCertificateAsync(X509Certificate2 certificate, bool root, string actor, CancellationToken ct = default);

    /// <summary>Adds a CRL (idempotent).</summary>
    Task AddCrlAsync(byte[] crl, string issuer, DateTimeOffset thisUpdate, string actor, CancellationToken ct = default);

    /// <summary>The registration requests waiting for an operator, oldest first.</summary>
    Task<IReadOnlyList<AgencyRegistrationRequest>> ListPendingRegistrationsAsync(CancellationToken ct = default);

    /// <summary>Approves the request waiting for <paramref name="code"/>: the agency is added (or changed)
    /// as asked, owned by the requesting system, which acts for it from then on.</summary>
    /// <returns>The request approved.</returns>
    /// <exception cref="Errors.ExchangeException">No request waits for the code (<c>NotFound</c>); its
    /// parent left the directory (<c>NotFound</c>, <c>ParentCode</c>); or the code is in the directory
    /// and not the requester's, e.g. an operator added it meanwhile (<c>Forbidden</c>: reject it).</exception>
    Task<AgencyRegistrationRequest> ApproveRegistrationAsync(string code, string reason, string actor, CancellationToken ct = default);

    /// <summary>Rejects the request waiting for <paramref name="code"/>; the directory is unchanged.</summary>
    /// <returns>The request rejected.</returns>
    /// <exception cref="Errors.ExchangeException">No request waits for the code (<c>NotFound</c>).</exception>
    Task<AgencyRegistrationRequest> RejectRegistrationAsync(string code, string reason, string actor, CancellationToken ct = default);
}
