using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Fakes;

/// <summary>The directory port in memory: agencies, hubs, the signer certificates registered per agency,
/// and the trust material. It keeps what it is given and checks nothing; client systems, secrets and the
/// directory sync are the edge's and the store's business, not the domain's, and are not implemented.</summary>
internal sealed class InMemoryDirectory(IEnumerable<Agency>? agencies = null, IEnumerable<HubLink>? hubs = null) : IDirectoryStore
{
    private readonly List<Agency> _agencies = [.. agencies ?? []];
    private readonly List<HubLink> _hubs = [.. hubs ?? []];
    private readonly HashSet<(string Agency, string Sha256)> _signers = [];
    private readonly List<byte[]> _roots = [];
    private readonly List<byte[]> _intermediates = [];
    private readonly List<byte[]> _crls = [];

    public Task<Agency?> FindAgencyAsync(string code, CancellationToken ct = default) => Task.FromResult(_agencies.FirstOrDefault(a => a.Code == code));

    public Task<IReadOnlyDictionary<string, Agency>> FindAgenciesAsync(IReadOnlyCollection<string> codes, CancellationToken ct = default)
    {
        var found = new Dictionary<string, Agency>(StringComparer.Ordinal);
        var next = new Queue<string>(codes);
        while (next.TryDequeue(out var code))
        {
            if (!found.ContainsKey(code) && _agencies.FirstOrDefault(a => a.Code == code) is { } agency)
            {
                found[code] = agency;
                if (!agency.Active && agency.SuccessorCode is { } successor)
                {
                    next.Enqueue(successor);
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, Agency>>(found);
    }

    public Task<IReadOnlySet<string>> ListNonStandardCodesAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlySet<string>>(_agencies.Where(a => a.NonStandard).Select(a => a.Code).ToHashSet(StringComparer.Ordinal));

    public Task<IReadOnlyList<Agency>> ListAgenciesAsync(DateTimeOffset? changedSince = null, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Agency>>([.. _agencies.Where(a => changedSince is null || a.ChangedAt >= changedSince).OrderBy(a => a.Code, StringComparer.Ordinal)]);

    public Task<bool> IsSignerRegisteredAsync(string agency, byte[] certificateSha256, CancellationToken ct = default) =>
        Task.FromResult(_signers.Contains((agency, Convert.ToHexString(certificateSha256))));

    public async Task<SenderRecord> FindSenderAsync(string agency, byte[]? certificateSha256, CancellationToken ct = default) =>
        new(await FindAgencyAsync(agency, ct), certificateSha256 is not null && await IsSignerRegisteredAsync(agency, certificateSha256, ct));

    public Task<IReadOnlyList<HubLink>> ListHubsAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<HubLink>>([.. _hubs]);

    public Task<HubLink?> FindHubAsync(string id, CancellationToken ct = default) => Task.FromResult(_hubs.FirstOrDefault(h => h.Id == id));

    public Task<TrustRecords> LoadTrustAsync(CancellationToken ct = default) => Task.FromResult(new TrustRecords([.. _roots], [.. _intermediates], [.. _crls]));

    public Task SaveAgencyAsync(Agency agency, string actor, CancellationToken ct = default)
    {
        _agencies.RemoveAll(a => a.Code == agency.Code);
        _agencies.Add(agency);
        return Task.CompletedTask;
    }

    public Task SaveHubAsync(HubLink hub, string actor, CancellationToken ct = default)
    {
        _hubs.RemoveAll(h => h.Id == hub.Id);
        _hubs.Add(hub);
        return Task.CompletedTask;
    }

    public Task AddAgencyCertificateAsync(string agency, X509Certificate2 certificate, string actor, CancellationToken ct = default)
    {
        _signers.Add((agency, Convert.ToHexString(SHA256.HashData(certificate.RawData))));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AgencyCertificate>> ListAgencyCertificatesAsync(CancellationToken ct = default) => throw new NotSupportedException();

    public Task AddTrustCertificateAsync(X509Certificate2 certificate, bool root, string actor, CancellationToken ct = default)
    {
        (root ? _roots : _intermediates).Add(certificate.RawData);
        return Task.CompletedTask;
    }

    public Task AddCrlAsync(byte[] crl, string issuer, DateTimeOffset thisUpdate, string actor, CancellationToken ct = default)
    {
        _crls.Add(crl);
        return Task.CompletedTask;
    }

    public Task<ClientSystemRecord?> FindClientSystemAsync(string id, CancellationToken ct = default) => throw new NotSupportedException();

    public Task RetireAgencyAsync(string code, string successor, string actor, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<AgencyRegistrationRequest>> ListPendingRegistrationsAsync(CancellationToken ct = default) => throw new NotSupportedException();

    public Task<AgencyRegistrationRequest> ApproveRegistrationAsync(string code, string reason, string actor, CancellationToken ct = default) =>
        throw new NotSupportedException();

    public Task<AgencyRegistrationRequest> RejectRegistrationAsync(string code, string reason, string actor, CancellationToken ct = default) =>
        throw new NotSupportedException();

    public Task SaveClientSystemAsync(string id, string secretHash, byte[]? sealedSecret, PackagePolicy policy, IReadOnlyCollection<string> agencies, string actor,
        CancellationToken ct = default, bool auditor = false) => throw new NotSupportedException();

    public Task<bool> SetClientSecretAsync(string id, string secretHash, byte[] sealedSecret, string actor, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ClientSystemSummary>> ListClientSystemsAsync(DateTimeOffset refusalsSince, CancellationToken ct = default) => throw new NotSupportedException();

    public Task RecordClientCallAsync(string id, DateTimeOffset at, CancellationToken ct = default) => throw new NotSupportedException();

    public Task RecordHubPollAsync(string id, DateTimeOffset at, CancellationToken ct = default) => throw new NotSupportedException();

    public Task<int> UpsertRemoteAgenciesAsync(string hubId, IReadOnlyCollection<Agency> agencies, string actor, CancellationToken ct = default) =>
        throw new NotSupportedException();
}
