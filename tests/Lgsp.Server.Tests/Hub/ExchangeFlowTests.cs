using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Hub;

/// <summary>The vertical slice through real SOAP clients: a commune sends a signed document to three
/// agencies; each pulls identical bytes, confirms, and answers 01 and 03; the sender sees it all.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ExchangeFlowTests(PostgresFixture postgres)
{
    private const string Commune = "000.00.61.H56";
    private static readonly string[] Recipients = ["000.00.00.H56", "000.00.02.H56", "000.00.62.H56"];

    [Theory]
    [InlineData(SoapVersion.Soap11)]
    [InlineData(SoapVersion.Soap12)]
    public async Task ASignedDocumentReachesThreeAgenciesByteIdenticalAndTheirStatusesComeBack(SoapVersion version)
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        var package = hub.SignedDocument(Commune, Recipients);
        var documentId = ReadDocumentId(package);

        // Send.
        var sender = hub.Client(Commune, version);
        var sent = await sender.SendDocumentAsync(new SendDocumentRequest { Package = package });
        Assert.False(sent.Duplicate);
        Assert.Equal(documentId, sent.DocumentId);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(package)), sent.Sha256);
        AssertReceipt(hub, sent.Receipt, documentId, sent.Sha256);

        // Each recipient pulls the identical bytes, confirms, and answers 01 then 03.
        foreach (var recipient in Recipients)
        {
            var client = hub.Client(recipient, version);
            var pending = await client.GetPendingDocumentsAsync(new GetPendingDocumentsRequest());
            var item = Assert.Single(pending.Items);
            Assert.Equal(documentId, item.DocumentId);
            Assert.Equal(Commune, item.From);
            Assert.Equal(recipient, item.To);
            Assert.Equal(package.Length, item.Size);

            var fetched = await client.GetDocumentAsync(new GetDocumentRequest { Id = item.Id });
            Assert.Equal(package, fetched.Package);
            Assert.True((await client.ConfirmReceivedAsync(new ConfirmReceivedRequest { Id = item.Id, Outcome = Outcome.Done })).Ok);
            Assert.Empty((await client.GetPendingDocumentsAsync(new GetPendingDocumentsRequest())).Items ?? []);

            foreach (var code in new[] { StatusCode.Arrived, StatusCode.Accepted })
            {
                var status = TestPackages.Sign(TestPackages.Status(recipient, Commune, documentId, code), hub.System(recipient).CertPem, hub.System(recipient).KeyPem);
                var answer = await client.SendStatusAsync(new SendStatusRequest { Package = status });
                Assert.False(answer.Duplicate);
                Assert.Equal(documentId, answer.DocumentId);
            }
        }

        // The sender sees six statuses, and every delivery acknowledged with its last status.
        var statuses = await sender.GetPendingStatusesAsync(new GetPendingStatusesRequest());
        Assert.Equal(6, statuses.Items.Length);
        Assert.All(statuses.Items, s => Assert.Equal(documentId, s.DocumentId));
        Assert.Equal(Recipients.SelectMany(r => new[] { (r, "01"), (r, "03") }).Order(), statuses.Items.Select(s => (s.From, s.StatusCode)).Order());

        var deliveries = await sender.GetDeliveriesAsync(new GetDeliveriesRequest { DocumentId = documentId });
        Assert.Equal(Recipients.Order(), deliveries.Deliveries.Select(d => d.Recipient).Order());
        Assert.All(deliveries.Deliveries, d =>
        {
            Assert.Equal("acknowledged", d.State);
            Assert.Equal("03", d.LastStatusCode);
            Assert.NotNull(d.DeliveredAt);
            Assert.NotNull(d.AcknowledgedAt);
        });

        var trace = await sender.GetTraceAsync(new GetTraceRequest { DocumentId = documentId });
        var kinds = trace.Events.Select(e => e.Kind).ToList();
        Assert.Equal("package.received", kinds[0]);
        // Three deliveries of the document, and one back to the sender per status.
        Assert.Equal(3, trace.Events.Count(e => e.Kind == "delivery.created" && !e.Detail.Contains(Commune, StringComparison.Ordinal)));
        Assert.Equal(6, trace.Events.Count(e => e.Kind == "delivery.created" && e.Detail.Contains(Commune, StringComparison.Ordinal)));
        Assert.Equal(3, kinds.Count(k => k == "delivery.fetched"));
        Assert.Equal(3, kinds.Count(k => k == "delivery.acknowledged"));
        Assert.Equal(6, kinds.Count(k => k == "status.routed"));
        Assert.Equal(trace.Events.Select(e => e.Seq).Order(), trace.Events.Select(e => e.Seq));

        // Stored once, whatever the number of recipients.
        Assert.Equal(1L, await hub.ScalarAsync($"SELECT count(*) FROM lgsp.package WHERE kind = 'document'"));
    }

    [Fact]
    public async Task ResendingTheSamePackageReturnsTheOriginalAnswerMarkedDuplicate()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        var package = hub.SignedDocument(Commune, Recipients);
        var client = hub.Client(Commune);

        var first = await client.SendDocumentAsync(new SendDocumentRequest { Package = package });
        var second = await client.SendDocumentAsync(new SendDocumentRequest { Package = package });

        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.Equal(first.ReceivedAt, second.ReceivedAt);
        Assert.Equal(first.Receipt, second.Receipt);
        Assert.Equal(1L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.package"));
        Assert.Equal(3L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.delivery"));
    }

    [Fact]
    public async Task ARepeatedStatusIsIgnoredButARepeated05IsRoutedAgain()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        var package = hub.SignedDocument(Commune, ["000.00.02.H56"]);
        await hub.Client(Commune).SendDocumentAsync(new SendDocumentRequest { Package = package });
        var documentId = ReadDocumentId(package);
        var recipient = hub.Client("000.00.02.H56");
        var system = hub.System("000.00.02.H56");
        byte[] Status(StatusCode code, string text) => TestPackages.Sign(TestPackages.Status("000.00.02.H56", Commune, documentId, code, text), system.CertPem, system.KeyPem);

        Assert.False((await recipient.SendStatusAsync(new SendStatusRequest { Package = Status(StatusCode.Accepted, "một") })).Duplicate);
        Assert.True((await recipient.SendStatusAsync(new SendStatusRequest { Package = Status(StatusCode.Accepted, "hai") })).Duplicate);
        Assert.False((await recipient.SendStatusAsync(new SendStatusRequest { Package = Status(StatusCode.Processing, "một") })).Duplicate);
        Assert.False((await recipient.SendStatusAsync(new SendStatusRequest { Package = Status(StatusCode.Processing, "hai") })).Duplicate);

        var statuses = await hub.Client(Commune).GetPendingStatusesAsync(new GetPendingStatusesRequest());
        Assert.Equal(["03", "05", "05"], statuses.Items.Select(s => s.StatusCode).Order());
    }

    [Fact]
    public async Task ATakeBackRequestGoesFromTheSenderToTheRecipient()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        var package = hub.SignedDocument(Commune, ["000.00.02.H56"]);
        await hub.Client(Commune).SendDocumentAsync(new SendDocumentRequest { Package = package });
        var documentId = ReadDocumentId(package);
        var takeBack = TestPackages.Sign(TestPackages.Status(Commune, "000.00.02.H56", documentId, StatusCode.TakeBackRequested), hub.System(Commune).CertPem, hub.System(Commune).KeyPem);

        await hub.Client(Commune).SendStatusAsync(new SendStatusRequest { Package = takeBack });

        var pending = await hub.Client("000.00.02.H56").GetPendingStatusesAsync(new GetPendingStatusesRequest());
        var item = Assert.Single(pending.Items);
        Assert.Equal("13", item.StatusCode);
        Assert.Equal(Commune, item.From);
        var delivery = Assert.Single((await hub.Client(Commune).GetDeliveriesAsync(new GetDeliveriesRequest { DocumentId = documentId })).Deliveries);
        Assert.Equal("13", delivery.LastStatusCode);
    }

    [Fact]
    public async Task ADocumentToARetiredCodeIsDeliveredToItsSuccessorAndTheLedgerSaysSo()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        var retired = Demo.DemoProvince.Retired;
        var package = hub.SignedDocument(Commune, [retired.Code]);
        await hub.Client(Commune).SendDocumentAsync(new SendDocumentRequest { Package = package });

        var pending = await hub.Client(retired.Successor).GetPendingDocumentsAsync(new GetPendingDocumentsRequest());
        Assert.Equal(ReadDocumentId(package), Assert.Single(pending.Items).DocumentId);
        Assert.Equal(1L, await hub.ScalarAsync(
            $"SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.redirected' AND detail->>'addressedTo' = '{retired.Code}' AND detail->>'recipient' = '{retired.Successor}'"));
    }

    [Fact]
    public async Task ALegacySystemMayAcceptAnUnsignedPackageAndThatIsRecorded()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        var system = hub.System(Commune);
        var directory = hub.Services.GetRequiredService<Exchange.Storage.IDirectoryStore>();
        await directory.SaveClientSystemAsync(system.Id, Exchange.Directory.SecretHash.Hash(system.Secret), null, Exchange.Directory.PackagePolicy.Legacy, [Commune], "test");
        var unsigned = TestPackages.Document(Commune, ["000.00.02.H56"]);

        await using var client = hub.Client(Commune);
        var sent = await client.SendDocumentAsync(new SendDocumentRequest { Package = unsigned });

        Assert.False(sent.Duplicate);
        Assert.Equal("unsigned", await hub.ScalarAsync("SELECT signature FROM lgsp.package"));
        Assert.Equal(true, await hub.ScalarAsync("SELECT legacy FROM lgsp.package"));
        Assert.Equal("legacy", await hub.ScalarAsync("SELECT detail->>'policy' FROM lgsp.ledger WHERE kind = 'package.received'"));
    }

    internal static string ReadDocumentId(byte[] package)
    {
        using var model = (DocumentPackage)Lgsp.Edxml.Reading.PackageReader.Read(package);
        return model.DocumentId!;
    }

    private static void AssertReceipt(RunningHub hub, byte[] receipt, string documentId, string sha256)
    {
        var trust = new CertificateTrust(new TrustOptions
        {
            Roots = [X509CertificateLoader.LoadCertificateFromFile(Path.Combine(hub.PkiDirectory, "root.pem"))],
            Intermediates = [X509CertificateLoader.LoadCertificateFromFile(Path.Combine(hub.PkiDirectory, "intermediate.pem"))],
        });
        var verdict = SignedXmlDocument.Verify(receipt, new SignerCheck(trust), signedAt: null);
        Assert.True(verdict.IsValid, verdict.Problem);
        Assert.True(verdict.IsTrusted, verdict.Problem);

        var xml = new XmlDocument();
        xml.LoadXml(System.Text.Encoding.UTF8.GetString(receipt));
        var ns = new XmlNamespaceManager(xml.NameTable);
        ns.AddNamespace("r", "urn:lgsp:receipt:1");
        Assert.Equal(documentId, xml.SelectSingleNode("/r:Receipt/r:DocumentId", ns)?.InnerText);
        Assert.Equal(sha256, xml.SelectSingleNode("/r:Receipt/r:Sha256", ns)?.InnerText);
        Assert.Equal("lgsp-h56-demo", xml.SelectSingleNode("/r:Receipt/r:Hub", ns)?.InnerText);
        Assert.True(long.Parse(xml.SelectSingleNode("/r:Receipt/r:LedgerSeq", ns)!.InnerText, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }
}
