using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using System.Text;
using System.Xml.Linq;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Hub;

/// <summary>Every refusal names its code, and stores nothing but one <c>package.refused</c> ledger line:
/// no package, no delivery, no other ledger row.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RefusalTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Commune = "000.00.61.H56";
    private const string Other = "000.00.62.H56";
    private RunningHub _hub = null!;

    public async Task InitializeAsync() => _hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?>
    {
        ["Hub:MaxRequestBytes"] = "300000",
        ["Hub:TrustRefresh"] = "00:00:00",
    });

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task ASystemSendingAsAnAgencyItDoesNotActForIsForbidden()
    {
        var package = _hub.SignedDocument(Commune, [Other]);
        await AssertRefusedAsync(Other, package, "Forbidden", "From/OrganId");
    }

    [Fact]
    public async Task PullingAnotherAgencysDocumentIsForbidden()
    {
        await using var sender = _hub.Client(Commune);
        await sender.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, ["000.00.02.H56"]) });
        var id = (await _hub.Client("000.00.02.H56").GetPendingDocumentsAsync(new GetPendingDocumentsRequest())).Items.Single().Id;

        await using var intruder = _hub.Client(Other);
        var fault = await Assert.ThrowsAsync<FaultException<Error>>(() => intruder.GetDocumentAsync(new GetDocumentRequest { Id = id }));
        Assert.Equal("Forbidden", fault.Detail.Code);
        var confirm = await Assert.ThrowsAsync<FaultException<Error>>(() => intruder.ConfirmReceivedAsync(new ConfirmReceivedRequest { Id = id, Outcome = Outcome.Done }));
        Assert.Equal("Forbidden", confirm.Detail.Code);
        Assert.Equal("pending", await _hub.ScalarAsync($"SELECT state FROM lgsp.delivery WHERE id = {id}"));
    }

    [Fact]
    public async Task AnAlteredSignedPackageIsRefused()
    {
        var package = Encoding.UTF8.GetString(_hub.SignedDocument(Commune, [Other]));
        var altered = Encoding.UTF8.GetBytes(package.Replace("V/v thử nghiệm", "V/v THAY ĐỔI", StringComparison.Ordinal));
        await AssertRefusedAsync(Commune, altered, "SignatureDigestMismatch", "Signature");
    }

    [Fact]
    public async Task AnUnsignedPackageIsRefusedUnderTheStrictPolicy()
    {
        await AssertRefusedAsync(Commune, TestPackages.Document(Commune, [Other]), "SignatureRequired", "Signature");
    }

    [Fact]
    public async Task ASignerFromAnUntrustedPkiIsRefused()
    {
        using var foreign = TestPki.Create("Foreign");
        var certificate = foreign.IssueOrganization(Commune, "Impostor");
        var package = TestPackages.Sign(TestPackages.Document(Commune, [Other]), certificate.ExportCertificatePem(), certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await AssertRefusedAsync(Commune, package, "CertificateUntrustedRoot", "KeyInfo");
    }

    [Fact]
    public async Task ARevokedSignerIsRefused()
    {
        // A second trusted PKI whose CA can revoke: its root, intermediate, the agency's certificate and a CRL are registered.
        using var pki = TestPki.Create("Second trusted");
        var certificate = pki.IssueOrganization(Commune, "UBND phường Hạc Thành");
        var directory = _hub.Services.GetRequiredService<IDirectoryStore>();
        await directory.AddTrustCertificateAsync(pki.Root, root: true, "test");
        await directory.AddTrustCertificateAsync(pki.Intermediate, root: false, "test");
        await directory.AddAgencyCertificateAsync(Commune, certificate, "test");
        var crl = pki.CreateCrl([certificate]);
        await directory.AddCrlAsync(crl, pki.Intermediate.Subject, DateTimeOffset.UtcNow, "test");

        var package = TestPackages.Sign(TestPackages.Document(Commune, [Other]), certificate.ExportCertificatePem(), certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await AssertRefusedAsync(Commune, package, "CertificateRevoked", "KeyInfo");
    }

    [Fact]
    public async Task AValidSignatureByAnotherAgencysCertificateIsASignerMismatch()
    {
        var system = _hub.System(Other);
        var package = TestPackages.Sign(TestPackages.Document(Commune, [Other]), system.CertPem, system.KeyPem);
        await AssertRefusedAsync(Commune, package, "SignerMismatch", "KeyInfo");
    }

    [Fact]
    public async Task ASecretDocumentIsRefused()
    {
        var system = _hub.System(Commune);
        var package = TestPackages.Sign(TestPackages.Document(Commune, [Other], subject: "MẬT - Kế hoạch phòng thủ"), system.CertPem, system.KeyPem);
        await AssertRefusedAsync(Commune, package, "SecretDocument", "Subject");
    }

    [Fact]
    public async Task ANewDocumentReusingADocumentIdIsRefused()
    {
        await using var client = _hub.Client(Commune);
        await client.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, [Other], documentId: "ID-1") });
        var (packages, deliveries, ledger, refused) = await CountsAsync();
        var fault = await Assert.ThrowsAsync<FaultException<Error>>(() =>
            client.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, ["000.00.02.H56"], documentId: "ID-1") }));
        Assert.Equal("DuplicateDocumentId", fault.Detail.Code);
        Assert.Equal((packages, deliveries, ledger, refused + 1), await CountsAsync());
    }

    [Fact]
    public async Task AStatusSentAsADocumentIsRefused()
    {
        var system = _hub.System(Commune);
        var status = TestPackages.Sign(TestPackages.Status(Commune, Other, "X", Edxml.Model.StatusCode.Arrived), system.CertPem, system.KeyPem);
        await AssertRefusedAsync(Commune, status, "WrongPackageKind", "edXML");
    }

    [Fact]
    public async Task MalformedXmlIsRefused()
    {
        await AssertRefusedAsync(Commune, Encoding.UTF8.GetBytes("<edXML><unclosed>"), "MalformedXml", "");
    }

    [Fact]
    public async Task AnOversizeBodyIsRefusedWithTooLarge()
    {
        var package = _hub.SignedDocument(Commune, [Other], attachmentBytes: 400_000);
        var system = _hub.System(Commune);
        var (status, body, _) = await _hub.PostAsync("SendDocument", $"<Package>{Convert.ToBase64String(package)}</Package>", system.Id, system.Secret);

        Assert.Equal(500, status);
        Assert.Equal("TooLarge", ErrorCode(body));
        Assert.Equal((0L, 0L, 0L, 0L), await CountsAsync());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("qlvb-hac-thanh", "wrong secret")]
    [InlineData("no-such-system", "whatever")]
    public async Task MissingOrWrongCredentialsAre401WithABasicChallenge(string? user, string? secret)
    {
        var (status, body, response) = await _hub.PostAsync("GetAgencies", "", user, secret);

        Assert.Equal(401, status);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("Unauthenticated", ErrorCode(body));
    }

    [Fact]
    public async Task AFaultCarriesTheCodeFieldAndBothLanguages()
    {
        var system = _hub.System(Commune);
        var (status, body, _) = await _hub.PostAsync("SendDocument", $"<Package>{Convert.ToBase64String(TestPackages.Document(Commune, [Other]))}</Package>", system.Id, system.Secret);

        Assert.Equal(500, status);
        XNamespace soap = "http://schemas.xmlsoap.org/soap/envelope/";
        Assert.EndsWith(":Client", body.Descendants("faultcode").Single().Value, StringComparison.Ordinal);
        var error = body.Descendants(XName.Get("Error", EdocContract.Namespace)).Single();
        Assert.Equal("SignatureRequired", error.Element(XName.Get("Code", EdocContract.Namespace))?.Value);
        Assert.False(string.IsNullOrEmpty(error.Element(XName.Get("Field", EdocContract.Namespace))?.Value));
        Assert.Contains("signature", error.Element(XName.Get("Message", EdocContract.Namespace))?.Value, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("chữ ký", error.Element(XName.Get("MessageVi", EdocContract.Namespace))?.Value, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(body.Descendants(soap + "Fault").SingleOrDefault());
    }

    [Fact]
    public async Task RefusalsAreCountedInTheMetricsByCode()
    {
        await AssertRefusedAsync(Commune, TestPackages.Document(Commune, [Other]), "SignatureRequired", "Signature");
        var metrics = await _hub.Http.GetStringAsync("/metrics");
        Assert.Contains("lgsp_packages_refused_total{operation=\"SendDocument\",code=\"SignatureRequired\"} 1", metrics, StringComparison.Ordinal);
    }

    private async Task AssertRefusedAsync(string agency, byte[] package, string code, string fieldContains)
    {
        await using var client = _hub.Client(agency);
        var fault = await Assert.ThrowsAsync<FaultException<Error>>(() => client.SendDocumentAsync(new SendDocumentRequest { Package = package }));
        Assert.Equal(code, fault.Detail.Code);
        Assert.Contains(fieldContains, fault.Detail.Field, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(fault.Detail.MessageVi));
        Assert.Equal((0L, 0L, 0L, 1L), await CountsAsync());
        Assert.Equal($"{code} {package.Length} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(package))}",
            await _hub.ScalarAsync("SELECT (detail->>'code') || ' ' || (detail->>'size') || ' ' || (detail->>'sha256') FROM lgsp.ledger WHERE kind = 'package.refused'"));
        Assert.Contains(fieldContains, (string)(await _hub.ScalarAsync("SELECT detail->>'field' FROM lgsp.ledger WHERE kind = 'package.refused'"))!, StringComparison.Ordinal);
    }

    private async Task<(long Packages, long Deliveries, long Ledger, long Refused)> CountsAsync() => (
        (long)(await _hub.ScalarAsync("SELECT count(*) FROM lgsp.package"))!,
        (long)(await _hub.ScalarAsync("SELECT count(*) FROM lgsp.delivery"))!,
        (long)(await _hub.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind NOT IN ('directory.changed', 'trust.changed', 'package.refused')"))!,
        (long)(await _hub.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'package.refused'"))!);

    private static string? ErrorCode(XDocument body) =>
        body.Descendants(XName.Get("Code", EdocContract.Namespace)).FirstOrDefault()?.Value;
}
