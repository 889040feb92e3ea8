using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pdf;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Writing;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Ledger;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Packages;
using Npgsql;

namespace Lgsp.TestSupport.Reports;

/// <summary>What a PDF attachment of a test document is.</summary>
public enum TestPdfKind
{
    /// <summary>Signed with an organisation's seal.</summary>
    Organization,
    /// <summary>Signed by a person.</summary>
    Personal,
    /// <summary>Not signed.</summary>
    Unsigned,
    /// <summary>Sealed, then altered.</summary>
    Tampered,
    /// <summary>Named .pdf, but no PDF.</summary>
    Unreadable,
}

/// <summary>
/// A province hub over a real database, for the reports: the province, two departments and a commune
/// served here, a district served by a child hub, and a ministry beyond the parent hub. Documents
/// are accepted through the real accept path at chosen (local) times, with real PDFs signed by the
/// test PKI; recipients fetch, confirm and answer at chosen times; the ledger is sealed as the hub
/// seals it.
/// </summary>
public sealed class ReportProvince : IAsyncDisposable
{
    /// <summary>The province's People's Committee (served here).</summary>
    public const string Province = "000.00.00.H56";
    /// <summary>A department (served here; its client system seals envelopes).</summary>
    public const string Finance = "000.00.01.H56";
    /// <summary>A department (served here; an official signs its envelopes in person).</summary>
    public const string Construction = "000.00.02.H56";
    /// <summary>A commune under Construction (served here).</summary>
    public const string Commune = "000.00.61.H56";
    /// <summary>A district served by the child hub.</summary>
    public const string District = "000.00.70.H56";
    /// <summary>A ministry beyond the parent hub.</summary>
    public const string Ministry = "000.00.00.G22";
    /// <summary>The child hub.</summary>
    public const string ChildHub = "hub-district";
    /// <summary>The parent hub.</summary>
    public const string ParentHub = "hub-national";

    private static readonly TimeSpan Hanoi = TimeSpan.FromHours(7);
    private readonly TestPki _pki = TestPki.Create("LGSP report test");
    private readonly HubIdentity _hub;
    private readonly X509Certificate2 _financeSeal;
    private readonly X509Certificate2 _constructionPerson;
    private readonly X509Certificate2 _pdfSeal;
    private readonly X509Certificate2 _pdfPerson;

    private ReportProvince(NpgsqlDataSource dataSource)
    {
        DataSource = dataSource;
        Directory = new PostgresDirectoryStore(dataSource, Clock);
        Packages = new PostgresPackageStore(dataSource);
        Calendar = new PostgresCalendarStore(dataSource, Clock);
        Store = new PostgresReportStore(dataSource);
        var valid = new CertificateOptions { NotBefore = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        _hub = new HubIdentity("hub-h56", _pki.IssueOrganization("hub-h56", "LGSP tỉnh Thanh Hóa", KeyKind.EcdsaP256, valid), [_pki.Intermediate]);
        _financeSeal = _pki.IssueOrganization(Finance, "Sở Tài chính", options: valid);
        _constructionPerson = _pki.IssuePersonal("Trần Văn Bình", "038090001234", "Sở Xây dựng", "Giám đốc", options: valid);
        _pdfSeal = _pki.IssueOrganization(Finance, "Sở Tài chính", options: valid);
        _pdfPerson = _pki.IssuePersonal("Lê Thị Hoa", "038090005678", options: valid);
        Reports = new ReportService(Store, Calendar, Directory, Clock);
    }

    /// <summary>The hub's clock: accept times and the rollups' as-of time.</summary>
    public SettableClock Clock { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>The test database.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The directory.</summary>
    public PostgresDirectoryStore Directory { get; }

    /// <summary>The package store.</summary>
    public PostgresPackageStore Packages { get; }

    /// <summary>The calendar store.</summary>
    public PostgresCalendarStore Calendar { get; }

    /// <summary>The report store.</summary>
    public PostgresReportStore Store { get; }

    /// <summary>The report service.</summary>
    public ReportService Reports { get; }

    /// <summary>A local (Asia/Ho_Chi_Minh) wall-clock time.</summary>
    public static DateTimeOffset Local(int y, int m, int d, int h, int min = 0) => new(y, m, d, h, min, 0, Hanoi);

    /// <summary>Creates the province in a fresh database and seeds its directory, systems and trust.</summary>
    public static async Task<ReportProvince> CreateAsync(string connectionString)
    {
        var province = new ReportProvince(NpgsqlDataSource.Create(connectionString));
        await province.SeedAsync();
        return province;
    }

    private async Task SeedAsync()
    {
        await Directory.SaveClientSystemAsync("sys-district", SecretHash.Hash("secret"), null, PackagePolicy.Legacy, [], "test");
        await Directory.SaveClientSystemAsync("sys-national", SecretHash.Hash("secret"), null, PackagePolicy.Legacy, [], "test");
        await Directory.SaveHubAsync(new HubLink(ChildHub, HubRole.Child, null, null, null, "sys-district", true), "test");
        await Directory.SaveHubAsync(new HubLink(ParentHub, HubRole.Parent, new Uri("https://axis.example.vn/"), "lgsp-h56", [1, 2, 3], "sys-national", true), "test");
        await Directory.SaveAgencyAsync(new Agency(Province, "UBND tỉnh Thanh Hóa", null, AgencyTier.Province, true, null, null, default), "test");
        await Directory.SaveAgencyAsync(new Agency(Finance, "Sở Tài chính", Province, AgencyTier.Department, true, null, null, default), "test");
        await Directory.SaveAgencyAsync(new Agency(Construction, "Sở Xây dựng", Province, AgencyTier.Department, true, null, null, default), "test");
        await Directory.SaveAgencyAsync(new Agency(Commune, "UBND xã Đông Tiến", Construction, AgencyTier.Commune, true, null, null, default), "test");
        await Directory.SaveAgencyAsync(new Agency(District, "UBND huyện Đông Sơn", Province, AgencyTier.District, true, null, null, default) { ServedBy = ChildHub }, "test");
        await Directory.SaveAgencyAsync(new Agency(Ministry, "Bộ Nội vụ", null, AgencyTier.Central, true, null, null, default) { ServedBy = ParentHub }, "test");
        foreach (var code in new[] { Province, Finance, Construction, Commune })
        {
            await Directory.SaveClientSystemAsync(SystemOf(code), SecretHash.Hash("secret"), null, PackagePolicy.Legacy, [code], "test");
        }

        await Directory.AddTrustCertificateAsync(_pki.Root, root: true, "test");
        await Directory.AddTrustCertificateAsync(_pki.Intermediate, root: false, "test");
        var crlTime = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);
        await Directory.AddCrlAsync(_pki.CreateCrl([], crlTime, crlTime.AddYears(5)), _pki.Intermediate.Subject, crlTime, "test");
        await Directory.AddCrlAsync(_pki.CreateRootCrl([], crlTime, crlTime.AddYears(5)), _pki.Root.Subject, crlTime, "test");
        await Directory.AddAgencyCertificateAsync(Finance, _financeSeal, "test");
        await Directory.AddAgencyCertificateAsync(Construction, _constructionPerson, "test");
    }

    /// <summary>The client system that acts for an agency (the hub link's for the district and the ministry).</summary>
    public static string SystemOf(string agency) => agency == Ministry ? "sys-national" : agency == District ? "sys-district" : "sys-" + agency;

    /// <summary>Accepts a document at <paramref name="at"/>; returns its package id and DocumentId.</summary>
    public async Task<(long PackageId, string DocumentId)> SendAsync(string from, string[] to, DateOnly promulgated, DateTimeOffset at,
        int priority = 0, bool paper = false, bool signEnvelope = false, params TestPdfKind[] pdfs)
    {
        var number = TestPackages.NextNumber().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var attachments = pdfs.Select((kind, i) => Attachment.FromBytes($"tep-{i + 1}.pdf", Pdf(kind), "application/pdf", $"cid:{i + 1}")).ToList();
        var package = new DocumentPackage
        {
            From = TestPackages.Org(from),
            To = [.. to.Select(TestPackages.Org)],
            Code = new DocumentCode(number, "UBND-VP"),
            PromulgationInfo = new PromulgationInfo("Thanh Hóa", EdxmlDate.From(promulgated)),
            DocumentType = new DocumentType("2", "1", "Công văn"),
            Subject = "V/v báo cáo thử nghiệm",
            Content = "Nội dung",
            SignerInfo = new SignerInfo("KT. CHỦ TỊCH", "Phó Chủ tịch", "Nguyễn Văn An"),
            DocumentId = $"{from},{promulgated:yyyy/MM/dd},{number}/UBND-VP",
            TraceHeaders = [new TraceHeader(from, EdxmlTimestamp.From(at.ToOffset(Hanoi).DateTime))],
            OtherInfo = new OtherInfo { Priority = priority },
            Business = new Business { BussinessDocType = BusinessDocType.New, BussinessDocTypeText = "0", Paper = paper ? 1 : 0 },
            ManifestVersion = "1.0",
            References = [.. attachments.Select((a, i) => new ManifestReference($"cid:{i + 1}", "application/pdf", "Tệp", a.AttachmentName))],
            Attachments = [.. attachments],
        };
        var bytes = PackageWriter.ToBytes(package);
        if (signEnvelope)
        {
            bytes = PackageSigner.Sign(bytes, from == Finance ? _financeSeal : _constructionPerson);
        }

        var acceptance = await AcceptAsync(from, bytes, PackageKind.Document, at);
        return (acceptance.PackageId, package.DocumentId);
    }

    /// <summary>Accepts a status from <paramref name="from"/> to <paramref name="to"/> about a document.</summary>
    public Task StatusAsync(string from, string to, string documentId, StatusCode code, DateTimeOffset at) =>
        AcceptAsync(from, TestPackages.Status(from, to, documentId, code), PackageKind.Status, at);

    /// <summary>The delivery of a package to a recipient.</summary>
    public async Task<long> DeliveryAsync(long packageId, string recipient)
    {
        await using var command = DataSource.CreateCommand("SELECT id FROM lgsp.delivery WHERE package_id = $1 AND recipient = $2");
        command.Parameters.AddWithValue(packageId);
        command.Parameters.AddWithValue(recipient);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The recipient fetches its delivery at a time.</summary>
    public async Task FetchAsync(long packageId, string recipient, DateTimeOffset at) =>
        await Packages.MarkFetchedAsync(await DeliveryAsync(packageId, recipient), SystemOf(recipient), at.ToUniversalTime());

    /// <summary>The recipient confirms (done) or refuses its delivery at a time.</summary>
    public async Task ConfirmAsync(long packageId, string recipient, bool done, DateTimeOffset at) =>
        await Packages.ConfirmAsync(await DeliveryAsync(packageId, recipient), done, done ? null : "sai nơi nhận", SystemOf(recipient), at.ToUniversalTime());

    /// <summary>Seals the ledger as the running hub does; the rollups count sealed entries only.</summary>
    public Task SealAsync() => new PostgresLedgerSealer(DataSource, TimeProvider.System).SealAsync(_hub);

    /// <summary>Seals, then brings the rollups up to date as of <paramref name="asOf"/>.</summary>
    public async Task<int> RefreshAsync(DateTimeOffset asOf)
    {
        await SealAsync();
        Clock.Now = asOf;
        return await Reports.RefreshAsync();
    }

    private async Task<Acceptance> AcceptAsync(string from, byte[] bytes, PackageKind kind, DateTimeOffset at)
    {
        Clock.Now = at;
        var accept = new AcceptService(Directory, Packages, new TrustCache(Directory, Clock, TimeSpan.Zero), new ReceiptIssuer(_hub),
            new Router(Directory), new NoQueue(), Clock);
        var caller = (await Directory.FindClientSystemAsync(SystemOf(from)))!.System;
        return await accept.AcceptAsync(caller, bytes, kind);
    }

    private byte[] Pdf(TestPdfKind kind)
    {
        var plain = TestPdf.Create("Van ban thu nghiem", "NOIDUNGGOC");
        switch (kind)
        {
            case TestPdfKind.Organization:
                return PdfSigning.AppendSignature(plain, _pdfSeal, new PdfSignatureRequest());
            case TestPdfKind.Personal:
                return PdfSigning.AppendSignature(plain, _pdfPerson, new PdfSignatureRequest());
            case TestPdfKind.Tampered:
                var signed = PdfSigning.AppendSignature(plain, _pdfSeal, new PdfSignatureRequest());
                var text = Encoding.ASCII.GetBytes("NOIDUNGGOC");
                var at = signed.AsSpan().IndexOf(text);
                Encoding.ASCII.GetBytes("NOIDUNGSUA").CopyTo(signed, at);
                return signed;
            case TestPdfKind.Unreadable:
                return Encoding.ASCII.GetBytes("this was meant to be a PDF but is a scanner's error page");
            default:
                return plain;
        }
    }

    /// <summary>Releases the PKI and the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        _pki.Dispose();
        await DataSource.DisposeAsync();
    }

    /// <summary>Push deliveries (to the parent) are queued nowhere: they stay pending, as an unreachable parent leaves them.</summary>
    private sealed class NoQueue : IDeliveryQueue
    {
        public void Enqueue(long deliveryId)
        {
        }

        public void Schedule(long deliveryId, DateTimeOffset at)
        {
        }

        public IReadOnlySet<long> WithLiveJobs(DateTimeOffset runningSince) => new HashSet<long>();
    }
}

/// <summary>A clock the test sets.</summary>
public sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>The time it tells.</summary>
    public DateTimeOffset Now { get; set; } = now;

    /// <summary>The time it tells, in UTC.</summary>
    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}
