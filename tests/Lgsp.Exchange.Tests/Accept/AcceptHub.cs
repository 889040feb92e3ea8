using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;
using Lgsp.Exchange.Tests.Fakes;
using Lgsp.Exchange.Tests.Support;

namespace Lgsp.Exchange.Tests.Accept;

/// <summary>The accept path of hub <c>hub-h56</c> over in-memory ports. Its directory: two departments
/// that pull, a commune with a push endpoint, a retired department whose successor is
/// <see cref="Construction"/>, and an agency a child hub serves; no parent hub, so it is the root. It
/// trusts the shared test PKI and has each of its own agencies' seals registered. Its clock stands
/// still, at an instant with sub-microsecond ticks.</summary>
internal sealed class AcceptHub
{
    public const string Finance = "000.00.01.H56";
    public const string Construction = "000.00.02.H56";
    public const string Retired = "000.00.04.H56";
    public const string Commune = "000.00.61.H56";
    public const string District = "000.00.70.H56";
    public const string ChildHub = "hub-district";

    /// <summary>Where the hub's own refusals point in a package.</summary>
    public const string MessageHeader = "edXMLEnvelope/edXMLHeader/MessageHeader/";

    /// <summary>Finance's document-management system, strict.</summary>
    public static readonly ClientSystem FinanceSystem = new("qlvb-stc", PackagePolicy.Strict, new HashSet<string> { Finance });

    /// <summary>The commune's system, which an administrator put under the legacy policy.</summary>
    public static readonly ClientSystem LegacyCommuneSystem = new("qlvb-xa", PackagePolicy.Legacy, new HashSet<string> { Commune });

    /// <summary>The system the child hub calls in with.</summary>
    public static readonly ClientSystem ChildHubSystem = new("hub-district-in", PackagePolicy.Strict, new HashSet<string>()) { Hub = ChildHub };

    public static readonly Uri CommuneEndpoint = new("http://127.0.0.1:9/commune");

    private AcceptHub()
    {
        Service = new AcceptService(Directory, Store, new TrustCache(Directory, Clock, TimeSpan.Zero), new ReceiptIssuer(Seals.Shared.Hub), new Router(Directory),
            Queue, Clock, Log);
    }

    public static string Id => Seals.Shared.Hub.Id;

    public InMemoryDirectory Directory { get; } = new();

    public InMemoryPackageStore Store { get; } = new();

    public RecordingQueue Queue { get; } = new();

    /// <summary>Now, with ticks that end in 7: the hub keeps microseconds, so it records now less 7 ticks.</summary>
    public FixedClock Clock { get; } = new(NowEndingIn7Ticks());

    /// <summary>What the accept path logged.</summary>
    public RecordingLogger<AcceptService> Log { get; } = new();

    public AcceptService Service { get; }

    /// <param name="trust">False: no trust root is configured.</param>
    public static async Task<AcceptHub> StartAsync(bool trust = true)
    {
        var hub = new AcceptHub();
        var directory = hub.Directory;
        await directory.SaveAgencyAsync(LocalAgency(Finance), "test");
        await directory.SaveAgencyAsync(LocalAgency(Construction), "test");
        await directory.SaveAgencyAsync(LocalAgency(Commune) with { PushEndpoint = CommuneEndpoint }, "test");
        await directory.SaveAgencyAsync(LocalAgency(Retired) with { Active = false, SuccessorCode = Construction }, "test");
        await directory.SaveHubAsync(new HubLink(ChildHub, HubRole.Child, null, null, null, ChildHubSystem.Id, true), "test");
        await directory.SaveAgencyAsync(LocalAgency(District) with { ServedBy = ChildHub }, "test");
        foreach (var agency in new[] { Finance, Construction, Commune })
        {
            await directory.AddAgencyCertificateAsync(agency, Seals.Shared.Of(agency), "test");
        }

        if (trust)
        {
            await directory.AddTrustCertificateAsync(Seals.Shared.Trusted.Root, root: true, "test");
            await directory.AddTrustCertificateAsync(Seals.Shared.Trusted.Intermediate, root: false, "test");
        }

        return hub;
    }

    public static Agency LocalAgency(string code) => new(code, "Cơ quan " + code, null, AgencyTier.Department, true, null, null, default);

    /// <summary>A document from <paramref name="from"/>, signed with its seal.</summary>
    public static byte[] SignedDocument(string from, params string[] to) => Packages.Signed(Packages.Document(from, to), Seals.Shared.Of(from));

    public Task<Acceptance> SendAsync(ClientSystem caller, byte[] package, PackageKind expected = PackageKind.Document, Arrival? arrival = null) =>
        Service.AcceptAsync(caller, package, expected, arrival);

    /// <summary>Sends a package that must be refused; the error it was refused with.</summary>
    public async Task<EdxmlError> RefusalAsync(ClientSystem caller, byte[] package, PackageKind expected = PackageKind.Document, Arrival? arrival = null) =>
        (await Assert.ThrowsAsync<ExchangeException>(() => SendAsync(caller, package, expected, arrival))).Error;

    /// <summary>What a refusal leaves: no package, no delivery, nothing enqueued, and one refusal record.</summary>
    public Refusal SingleRefusal()
    {
        Assert.Empty(Store.Packages);
        Assert.Empty(Store.Deliveries);
        Assert.Empty(Queue.Enqueued);
        return Assert.Single(Store.Refusals);
    }

    private static DateTimeOffset NowEndingIn7Ticks()
    {
        var now = DateTimeOffset.UtcNow;
        return now.AddTicks(7 - (now.UtcTicks % 10));
    }
}
