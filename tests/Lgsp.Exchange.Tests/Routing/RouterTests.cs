using System.Security.Cryptography.X509Certificates;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Routing;

public sealed class RouterTests
{
    private static Agency Active(string code, Uri? push = null) => new(code, code, null, AgencyTier.Department, true, null, push, default);

    private static Agency Retired(string code, string? successor) => new(code, code, null, AgencyTier.Department, false, successor, null, default);

    [Fact]
    public async Task AnActiveAgencyIsServedByPullWhenItHasNoEndpoint()
    {
        var route = await new Router(new Directory(Active("000.00.02.H56"))).ResolveAsync("000.00.02.H56");
        Assert.True(route.IsServed);
        Assert.Equal(DeliveryMode.Pull, route.Mode);
        Assert.Empty(route.Redirects);
    }

    [Fact]
    public async Task AnAgencyWithAnEndpointIsServedByPush()
    {
        var route = await new Router(new Directory(Active("000.00.02.H56", new Uri("http://127.0.0.1:9/in")))).ResolveAsync("000.00.02.H56");
        Assert.Equal(DeliveryMode.Push, route.Mode);
    }

    [Fact]
    public async Task ARetiredCodeIsFollowedThroughEverySuccessor()
    {
        var router = new Router(new Directory(Retired("A", "B"), Retired("B", "C"), Active("C")));
        var route = await router.ResolveAsync("A");
        Assert.Equal("C", route.Agency?.Code);
        Assert.Equal(["A", "B"], route.Redirects);
        Assert.Equal("A", route.AddressedTo);
    }

    [Fact]
    public async Task AnUnknownCodeIsNotServed()
    {
        var route = await new Router(new Directory(Active("B"))).ResolveAsync("A");
        Assert.False(route.IsServed);
    }

    [Fact]
    public async Task ARetiredCodeWithoutASuccessorIsNotServed()
    {
        Assert.False((await new Router(new Directory(Retired("A", null))).ResolveAsync("A")).IsServed);
    }

    [Fact]
    public async Task ASuccessorLoopEndsUnservedInsteadOfSpinning()
    {
        var route = await new Router(new Directory(Retired("A", "B"), Retired("B", "A"))).ResolveAsync("A");
        Assert.False(route.IsServed);
    }

    /// <summary>A directory of agencies only; the router reads nothing else.</summary>
    private sealed class Directory(params Agency[] agencies) : IDirectoryStore
    {
        public Task<Agency?> FindAgencyAsync(string code, CancellationToken ct = default) => Task.FromResult(agencies.FirstOrDefault(a => a.Code == code));

        public Task<ClientSystemRecord?> FindClientSystemAsync(string id, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<Agency>> ListAgenciesAsync(DateTimeOffset? changedSince = null, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<bool> IsSignerRegisteredAsync(string agency, byte[] certificateSha256, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<HubLink>> ListHubsAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<HubLink?> FindHubAsync(string id, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<TrustRecords> LoadTrustAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task SaveAgencyAsync(Agency agency, string actor, CancellationToken ct = default) => throw new NotSupportedException();
        public Task RetireAgencyAsync(string code, string successor, string actor, CancellationToken ct = default) => throw new NotSupportedException();
        public Task AddAgencyCertificateAsync(string agency, X509Certificate2 certificate, string actor, CancellationToken ct = default) => throw new NotSupportedException();
        public Task SaveClientSystemAsync(string id, string secretHash, PackagePolicy policy, IReadOnlyCollection<string> agencies, string actor, CancellationToken ct = default) => throw new NotSupportedException();
        public Task AddTrustCertificateAsync(X509Certificate2 certificate, bool root, string actor, CancellationToken ct = default) => throw new NotSupportedException();
        public Task AddCrlAsync(byte[] crl, string issuer, DateTimeOffset thisUpdate, string actor, CancellationToken ct = default) => throw new NotSupportedException();
    }
}
