using Lgsp.Edxml.Model;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Tests.Inbound.Axis;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;
using Agency = Lgsp.Exchange.Directory.Agency;

namespace Lgsp.Server.Tests.Inbound.Matrix;

/// <summary>One running hub set up for the authorisation matrix: the demo province, a child hub whose
/// inbound system serves one agency below it, a disabled system, and per caller the agency whose
/// documents it reaches for (<see cref="MatrixCaller.Target"/>).</summary>
internal sealed class MatrixHub : IAsyncDisposable
{
    /// <summary>The agency whose resources the matrix is about (a commune; its system is the owner).</summary>
    public const string Owner = "000.00.61.H56";

    /// <summary>Another agency (the Department of Finance; its system is the other agency's).</summary>
    public const string OtherAgency = "000.00.02.H56";

    /// <summary>Who exchanges with the owner (the province): sends to it, receives from it.</summary>
    public const string Counterpart = "000.00.00.H56";

    /// <summary>An agency the child hub serves.</summary>
    public const string ChildAgency = "000.31.61.H56";

    public const string ChildHub = "district-1";
    public const string ChildSystem = "district-1-hub";
    private const string ChildSecret = "child-hub-secret-for-tests-TEST-ONLY";
    public const string DisabledSystem = "matrix-disabled";
    private const string DisabledSecret = "disabled-secret-for-tests-TEST-ONLY";
    public const string AdminPassword = "admin-test-password";

    private MatrixHub(RunningHub hub) => Hub = hub;

    public RunningHub Hub { get; }

    /// <summary>The callers, in the order the test calls them (the owner last: its calls change state).</summary>
    public IReadOnlyList<MatrixCaller> Callers { get; private set; } = [];

    public static async Task<MatrixHub> StartAsync(PostgresFixture postgres)
    {
        // The matrix makes many refused logins from one address on purpose: the throttle is tested elsewhere.
        var hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["Hub:Limits:Login:FailuresPerId"] = "100000",
            ["Hub:Limits:Login:FailuresPerAddress"] = "100000",
        });
        var matrix = new MatrixHub(hub);
        await matrix.SetUpAsync();
        return matrix;
    }

    private async Task SetUpAsync()
    {
        var directory = Hub.Services.GetRequiredService<IDirectoryStore>();
        var secrets = Hub.Services.GetRequiredService<SecretBox>();
        await directory.SaveClientSystemAsync(ChildSystem, SecretHash.Hash(ChildSecret), secrets.Seal(ChildSecret), PackagePolicy.Strict, [], "test");
        await directory.SaveHubAsync(new HubLink(ChildHub, HubRole.Child, null, null, null, ChildSystem, true), "test");
        await directory.SaveAgencyAsync(new Agency(ChildAgency, "UBND xã Thử nghiệm", null, AgencyTier.Commune, true, null, null, default) { ServedBy = ChildHub }, "test");
        await directory.SaveClientSystemAsync(DisabledSystem, SecretHash.Hash(DisabledSecret), secrets.Seal(DisabledSecret), PackagePolicy.Strict, [Owner], "test");
        await Hub.ScalarAsync($"UPDATE lgsp.client_system SET active = false WHERE id = '{DisabledSystem}'");

        var owner = await ScenarioAsync(Owner, Hub.System(Owner).Id, Hub.System(Owner).Secret) with { RegisteredCode = await RegisteredByOwnerAsync() };
        var child = await ScenarioAsync(ChildAgency, ChildSystem, ChildSecret);
        var auditor = Hub.Demo.Auditor!;
        Callers =
        [
            new("none", null, null, owner),
            new("disabled", DisabledSystem, DisabledSecret, owner),
            new("administrator", "admin", AdminPassword, owner),
            new("other agency", Hub.System(OtherAgency).Id, Hub.System(OtherAgency).Secret, owner),
            new("hub, outside", ChildSystem, ChildSecret, owner),
            new("auditor", auditor.Id, auditor.Secret, owner),
            new("hub, inside", ChildSystem, ChildSecret, child),
            new("owner", Hub.System(Owner).Id, Hub.System(Owner).Secret, owner),
        ];
    }

    // What the agency's system sent (a document to the counterpart) and what waits for the agency.
    private async Task<MatrixTarget> ScenarioAsync(string agency, string system, string secret)
    {
        var sentId = "MX-SENT-" + agency;
        var sender = Hub.System(Owner);
        var package = TestPackages.Sign(TestPackages.Document(agency, [Counterpart], sentId), sender.CertPem, sender.KeyPem);
        var (status, _, _) = await Hub.PostAsync("SendDocument", $"<Package>{Convert.ToBase64String(package)}</Package>", system, secret);
        Assert.Equal(200, status);
        return new MatrixTarget(agency, sentId, agency, this);
    }

    // An agency below the owner's that its system asked for and an operator approved: one it may delete.
    private async Task<string> RegisteredByOwnerAsync()
    {
        const string village = "000.90.61.H56";
        using var sdk = Hub.Sdk(Owner);
        var asked = await sdk.RegisterAgencyAsync("{}", $$"""{"code":"{{village}}","name":"Thôn Đông","pcode":"{{Owner}}"}""");
        Assert.Equal("OK", asked.Status);
        await Hub.ApproveAsync(village);
        return village;
    }

    /// <summary>A document from the counterpart to <paramref name="agency"/>, accepted now; the id of its
    /// delivery to <paramref name="agency"/>.</summary>
    public async Task<long> ReceivedDeliveryAsync(string agency)
    {
        var documentId = "MX-IN-" + Guid.NewGuid().ToString("N")[..12];
        var counterpart = Hub.System(Counterpart);
        var (status, _, _) = await Hub.PostAsync("SendDocument", $"<Package>{Convert.ToBase64String(Hub.SignedDocument(Counterpart, [agency], documentId))}</Package>",
            counterpart.Id, counterpart.Secret);
        Assert.Equal(200, status);
        return Convert.ToInt64(await Hub.ScalarAsync(
            $"SELECT d.id FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE p.document_id = '{documentId}' AND d.recipient = '{agency}'"),
            System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A new document from <paramref name="agency"/> to the counterpart, signed by the owner's
    /// certificate (registered for the owner; a child hub vouches for its own agencies' signers).</summary>
    public byte[] NewDocument(string agency) =>
        TestPackages.Sign(TestPackages.Document(agency, [Counterpart], "MX-" + Guid.NewGuid().ToString("N")[..12]), Hub.System(Owner).CertPem, Hub.System(Owner).KeyPem);

    /// <summary>A new status from <paramref name="agency"/> to the counterpart about a document it sent.</summary>
    public byte[] NewStatus(string agency) =>
        TestPackages.Sign(TestPackages.Status(agency, Counterpart, "MX-ABOUT-" + Guid.NewGuid().ToString("N")[..8], StatusCode.Arrived), Hub.System(Owner).CertPem, Hub.System(Owner).KeyPem);

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}

/// <summary>A kind of caller: its credentials (none: null) and the agency whose resources it reaches for.</summary>
internal sealed record MatrixCaller(string Column, string? User, string? Secret, MatrixTarget Target);

/// <summary>The resources a caller reaches for: an agency, a document it sent, an agency its system
/// registered (else the agency itself), and deliveries to it made on demand.</summary>
internal sealed record MatrixTarget(string Agency, string SentDocumentId, string RegisteredCode, MatrixHub Hub)
{
    public Task<long> ReceivedDeliveryAsync() => Hub.ReceivedDeliveryAsync(Agency);
}
