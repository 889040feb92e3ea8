using System.Security.Cryptography.X509Certificates;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Routing;

/// <summary>A directory of agencies and hubs; the router reads nothing else.</summary>
internal sealed class RoutingDirectory(Agency[] agencies, HubLink[] hubs) : IDirectoryStore
{
    public Task<Agency?> FindAgencyAsync(string code, CancellationToken ct = default) => Task.FromResult(agencies.FirstOrDefault(a => a.Code == code));

    public Task<IReadOnlyList<HubLink>> ListHubsAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<HubLink>>(hubs);

    public Task<HubLink?> FindHubAsync(string id, CancellationToken ct = default) => Task.FromResult(hubs.FirstOrDefault(h => h.Id == id));

    public Task<ClientSystemRecord?> FindClientSystemAsync(string id, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<Agency>> ListAgenciesAsync(DateTimeOffset? changedSince = null, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<bool> IsSignerRegisteredAsync(string agency, byte[] certificateSha256, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<TrustRecords> LoadTrustAsync(CancellationToken ct = default) => throw new NotSupportedException();
    public Task SaveAgencyAsync(Agency agency, string actor, CancellationToken ct = default) => throw new NotSupportedException();
    public Task RetireAgencyAsync(string code, string successor, string actor, CancellationToken ct = default) => throw new NotSupportedException();
    public Task AddAgencyCertificateAsync(string agency, X509Certificate2 certificate, string actor, CancellationToken ct = default) => throw new NotSupportedException();
    public Task SaveClientSystemAsync(string id, string secretHash, byte[]? sealedSecret, PackagePolicy policy, IReadOnlyCollection<string> agencies, string actor, CancellationToken ct = default, bool auditor = false) => throw new NotSupportedException();

    public Task<bool> SetClientSecretAsync(string id, string secretHash, byte[] sealedSecret, string actor, CancellationToken ct = default) => throw new NotSupportedException();
    public Task AddTrustCertificateAsync(X509Certificate2 certificate, bool root, string actor, CancellationToken ct = default) => throw new NotSupportedException();
    public Task AddCrlAsync(byte[] crl, string issuer, DateTimeOffset thisUpdate, string actor, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<int> UpsertRemoteAgenciesAsync(string hubId, IReadOnlyCollection<Agency> agencies, string actor, CancellationToken ct = default) => throw new NotSupportedException();
    public Task SaveHubAsync(HubLink hub, string actor, CancellationToken ct = default) => throw new NotSupportedException();
}
