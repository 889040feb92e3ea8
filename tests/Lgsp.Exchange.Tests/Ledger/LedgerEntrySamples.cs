using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Reports.Calendar;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Ledger;

/// <summary>One entry a factory makes for a representative input, with what it must say. The detail is
/// the exact JSON the stores wrote for the same input before the factories existed (sealed ledgers and
/// evidence bundles hash it), captured from the stores' former anonymous objects.</summary>
internal sealed record LedgerEntrySample(string Factory, string Case, NewLedgerEntry Entry, string Kind, string Actor,
    (long? PackageId, string? DocumentId, long? DeliveryId) Concerns, string Detail)
{
    public override string ToString() => $"{Factory}: {Case}";
}

/// <summary>Every entry factory, with inputs that set each optional field at least once.</summary>
internal static class LedgerEntrySamples
{
    /// <summary>When every sample happened: microseconds, as the hub keeps time.</summary>
    public static readonly DateTimeOffset At = new DateTimeOffset(2026, 1, 15, 8, 0, 1, TimeSpan.Zero).AddTicks(1234560);

    private const string DocumentId = "STC-2026-0001";
    private const string Recipient = "000.00.32.H56";
    private static readonly DateTimeOffset Later = new(2026, 1, 15, 15, 5, 0, TimeSpan.FromHours(7));
    private static readonly (long?, string?, long?) None = (null, null, null);
    private static readonly (long?, string?, long?) TheDelivery = (41, DocumentId, 12);
    private static readonly DeliveryConcerned Delivery = new(41, DocumentId, 12, Recipient);

    private static readonly NewPackage Forwarded = new()
    {
        Kind = PackageKind.Document, SenderSystem = "hub-national", From = "000.00.31.H56", DocumentId = DocumentId,
        Sha256 = [.. Enumerable.Range(0, 32).Select(i => (byte)i)], Body = PackageSpool.FromBytes(new byte[1234]), ReceivedAt = At, Legacy = true, Signature = "valid",
        SignerSubject = "CN=Sở Tài chính, O=UBND tỉnh Hà Nam", SignerSha256 = [.. Enumerable.Repeat((byte)0xab, 32)],
        SignerBinding = "vouched by hub-national", Hops = ["hub-national", "hub-north"], PreviousReceiptSha256 = new string('c', 64),
        BusinessType = BusinessDocType.New,
    };

    private static readonly NewPackage Status = new()
    {
        Kind = PackageKind.Status, SenderSystem = "qlvb-soyte", From = Recipient, DocumentId = DocumentId,
        Sha256 = [.. Enumerable.Range(32, 32).Select(i => (byte)i)], Body = PackageSpool.FromBytes(new byte[321]), ReceivedAt = At, Legacy = false, Signature = "unsigned",
        StatusCode = "03", StatusTarget = "000.00.31.H56",
    };

    private static readonly ConsoleUser Clerk = new("vanthu.taichinh", ConsoleRole.Agency, ["000.00.02.H56"], "local", "pbkdf2-sha256$1$AA==$AA==", false, 0,
        null, At, null);

    private const string Registered = "000.01.61.H56";
    private static readonly AgencyRegistrationRequest Registration = new(Registered, "Thon Dong", "000.00.61.H56", "thondong@example.gov.vn", "qlvb-hac-thanh", At);

    private static readonly PushWork Work = new(12, 41, PackageKind.Document, DocumentId, new string('a', 64), Recipient, new Uri("https://qlvb.example.vn/edoc"), 2, _ => Task.FromResult(PackageBody.Of([])));

    // A self-signed certificate whose subject is not ASCII, fixed so that its SHA-256 is too.
    private static readonly X509Certificate2 Certificate = X509Certificate2.CreateFromPem("""
        -----BEGIN CERTIFICATE-----
        MIIBgDCCASagAwIBAgIINIrr4ZCk0wMwCgYIKoZIzj0EAwIwRjELMAkGA1UEBhMC
        Vk4xHDAaBgNVBAoME1VCTkQgdOG7iW5oIEjDoCBOYW0xGTAXBgNVBAMMEFPhu58g
        VMOgaSBjaMOtbmgwHhcNMjYwMTE1MDgwMDAxWhcNMzYwMTE1MDgwMDAxWjBGMQsw
        CQYDVQQGEwJWTjEcMBoGA1UECgwTVUJORCB04buJbmggSMOgIE5hbTEZMBcGA1UE
        AwwQU+G7nyBUw6BpIGNow61uaDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABIUO
        DZfq3CpdDr+yGo3ZeFTVnhEq5liAF8KI7dQdGMCsDtGZTnTESXiFF8SbHpYffjD3
        /Z4+3/6vfHDBQAvihCkwCgYIKoZIzj0EAwIDSAAwRQIhAOzr2UORILkloxHHKUza
        mOkWi1KiqEpKJ8Wz6zCTWemTAiAjpdMgp+3dnJAQTZop9hPe44jZYnIk5qNmaCSE
        JeuCXg==
        -----END CERTIFICATE-----
        """);

    private static readonly Checkpoint ChildCheckpoint = new("hub-child", 7, 11, 5, new string('0', 64), new string('9', 64), At);

    public static readonly IReadOnlyList<LedgerEntrySample> All =
    [
        new("PackageEntries.Received", "a document another hub forwarded, signed, under the legacy policy",
            PackageEntries.Received(Forwarded, 41), LedgerKind.PackageReceived, "hub-national", (41, DocumentId, null),
            """{"kind":"document","system":"hub-national","from":"000.00.31.H56","documentId":"STC-2026-0001","sha256":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f","size":1234,"policy":"legacy","signature":"valid","signer":"CN=S\u1EDF T\u00E0i ch\u00EDnh, O=UBND t\u1EC9nh H\u00E0 Nam","signerSha256":"abababababababababababababababababababababababababababababababab","signerBinding":"vouched by hub-national","hops":["hub-national","hub-north"],"previousReceiptSha256":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"}"""),
        new("PackageEntries.Received", "a document pulled over an inherit link, judged under legacy because the previous hub did",
            PackageEntries.Received(Forwarded with { LegacyInheritedFrom = "hub-national", InheritedReceipt = [1, 2, 3] }, 44), LedgerKind.PackageReceived, "hub-national", (44, DocumentId, null),
            """{"kind":"document","system":"hub-national","from":"000.00.31.H56","documentId":"STC-2026-0001","sha256":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f","size":1234,"policy":"legacy","signature":"valid","signer":"CN=S\u1EDF T\u00E0i ch\u00EDnh, O=UBND t\u1EC9nh H\u00E0 Nam","signerSha256":"abababababababababababababababababababababababababababababababab","signerBinding":"vouched by hub-national","hops":["hub-national","hub-north"],"previousReceiptSha256":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","inheritedVerdict":{"hub":"hub-national","policy":"legacy","receiptSha256":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","receipt":"AQID"}}"""),
        new("PackageEntries.Received", "an unsigned status sent here directly",
            PackageEntries.Received(Status, 42), LedgerKind.PackageReceived, "qlvb-soyte", (42, DocumentId, null),
            """{"kind":"status","system":"qlvb-soyte","from":"000.00.32.H56","documentId":"STC-2026-0001","sha256":"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f","size":321,"policy":"strict","signature":"unsigned","statusCode":"03","hops":[]}"""),
        new("PackageEntries.Received", "a legacy status whose judgement tolerated a code in neither form",
            PackageEntries.Received(Status with { Legacy = true, StatusTarget = "vxp.test.07", Warnings = ["InvalidAgencyCode MessageHeader/ResponseFor/OrganId"] }, 43),
            LedgerKind.PackageReceived, "qlvb-soyte", (43, DocumentId, null),
            """{"kind":"status","system":"qlvb-soyte","from":"000.00.32.H56","documentId":"STC-2026-0001","sha256":"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f","size":321,"policy":"legacy","signature":"unsigned","statusCode":"03","hops":[],"warnings":["InvalidAgencyCode MessageHeader/ResponseFor/OrganId"]}"""),
        new("PackageEntries.Refused", "a package whose sender could not be read",
            PackageEntries.Refused(new Refusal(PackageKind.Status, "qlvb-stc", null, "SchemaInvalid", "Header", new string('d', 64), 512, At)),
            LedgerKind.PackageRefused, "qlvb-stc", None,
            """{"kind":"status","system":"qlvb-stc","code":"SchemaInvalid","field":"Header","sha256":"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd","size":512}"""),
        new("PackageEntries.Refused", "a package claiming its sender",
            PackageEntries.Refused(new Refusal(PackageKind.Document, "qlvb-stc", "000.00.31.H56", "SignatureInvalid", "Signature", new string('d', 64), 2048, At)),
            LedgerKind.PackageRefused, "qlvb-stc", None,
            """{"kind":"document","system":"qlvb-stc","from":"000.00.31.H56","code":"SignatureInvalid","field":"Signature","sha256":"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd","size":2048}"""),
        new("PackageEntries.StatusRouted", "a status updating two deliveries",
            PackageEntries.StatusRouted(Status, 42, [12, 13]), LedgerKind.StatusRouted, "hub", (42, DocumentId, null),
            """{"code":"03","to":"000.00.31.H56","updates":[12,13]}"""),
        new("DeliveryEntries.Created", "a push through another hub",
            DeliveryEntries.Created(Delivery, DeliveryMode.Push, "hub-national", At), LedgerKind.DeliveryCreated, "hub", TheDelivery,
            """{"recipient":"000.00.32.H56","mode":"push","via":"hub-national"}"""),
        new("DeliveryEntries.Created", "a pull from this hub",
            DeliveryEntries.Created(Delivery, DeliveryMode.Pull, null, At), LedgerKind.DeliveryCreated, "hub", TheDelivery,
            """{"recipient":"000.00.32.H56","mode":"pull"}"""),
        new("DeliveryEntries.Redirected", "to the successor of a retired code",
            DeliveryEntries.Redirected(Delivery, "000.00.40.H56", At), LedgerKind.DeliveryRedirected, "hub", TheDelivery,
            """{"addressedTo":"000.00.40.H56","recipient":"000.00.32.H56"}"""),
        new("DeliveryEntries.FailedWithoutRoute", "an unknown recipient",
            DeliveryEntries.FailedWithoutRoute(Delivery with { Recipient = "999.00.00.H99" }, "no route: 999.00.00.H99 is not in the directory", "unknown-recipient", At),
            LedgerKind.DeliveryFailed, "hub", TheDelivery,
            """{"recipient":"999.00.00.H99","reason":"no route: 999.00.00.H99 is not in the directory","code":"unknown-recipient"}"""),
        new("DeliveryEntries.FailedAfterAttempt", "attempts ran out",
            DeliveryEntries.FailedAfterAttempt(Delivery, new PushRecord(12, 3, At, At, DeliveryState.Failed, "no answer within 30 s", false, null, "timeout")),
            LedgerKind.DeliveryFailed, "hub", TheDelivery,
            """{"recipient":"000.00.32.H56","reason":"no answer within 30 s","errorCode":"timeout"}"""),
        new("DeliveryEntries.FailedBeyond", "the root had no route for it",
            DeliveryEntries.FailedBeyond(Delivery, "prov-a", "far:unknown-recipient", "failed at hub root: unknown-recipient: no route: 000.00.32.H56 is not in the directory", At),
            LedgerKind.DeliveryFailed, "hub", TheDelivery,
            """{"recipient":"000.00.32.H56","reason":"failed at hub root: unknown-recipient: no route: 000.00.32.H56 is not in the directory","errorCode":"far:unknown-recipient","reportedBy":"prov-a"}"""),
        new("DeliveryEntries.RefusedByRecipient", "with a reason",
            DeliveryEntries.RefusedByRecipient(Delivery, "qlvb-soyte", At, "Sai địa chỉ nhận"), LedgerKind.DeliveryFailed, "qlvb-soyte", TheDelivery,
            """{"recipient":"000.00.32.H56","reason":"Sai \u0111\u1ECBa ch\u1EC9 nh\u1EADn"}"""),
        new("DeliveryEntries.RefusedByRecipient", "without a reason",
            DeliveryEntries.RefusedByRecipient(Delivery, "qlvb-soyte", At, null), LedgerKind.DeliveryFailed, "qlvb-soyte", TheDelivery,
            """{"recipient":"000.00.32.H56"}"""),
        new("DeliveryEntries.Fetched", "by the recipient's system",
            DeliveryEntries.Fetched(Delivery, "qlvb-soyte", At), LedgerKind.DeliveryFetched, "qlvb-soyte", TheDelivery,
            """{"recipient":"000.00.32.H56"}"""),
        new("DeliveryEntries.Processing", "reported by the recipient's system",
            DeliveryEntries.Processing(Delivery, "qlvb-soyte", At), LedgerKind.DeliveryProcessing, "qlvb-soyte", TheDelivery,
            """{"recipient":"000.00.32.H56"}"""),
        new("DeliveryEntries.Acknowledged", "by the recipient's system",
            DeliveryEntries.Acknowledged(Delivery, "qlvb-soyte", At), LedgerKind.DeliveryAcknowledged, "qlvb-soyte", TheDelivery,
            """{"recipient":"000.00.32.H56"}"""),
        new("DeliveryEntries.AcknowledgedBeyond", "confirmed at the next hub",
            DeliveryEntries.AcknowledgedBeyond(Delivery, "prov-a", At), LedgerKind.DeliveryAcknowledged, "hub", TheDelivery,
            """{"recipient":"000.00.32.H56","reportedBy":"prov-a"}"""),
        new("DeliveryEntries.Replayed", "named alone",
            DeliveryEntries.Replayed(Delivery, new ReplayNote("admin", "peer back online", null), DeliveryState.Failed, "no answer within 30 s", "timeout",
                DeliveryState.Retrying, At),
            LedgerKind.DeliveryReplayed, "admin", TheDelivery,
            """{"recipient":"000.00.32.H56","by":"admin","reason":"peer back online","previousState":"failed","previousError":"no answer within 30 s","previousErrorCode":"timeout","newState":"retrying","single":true}"""),
        new("DeliveryEntries.Replayed", "selected by a filter",
            DeliveryEntries.Replayed(Delivery, new ReplayNote("admin", "bulk after outage", new ReplayFilter(Recipient: Recipient, Since: Later, ErrorCode: "timeout")),
                DeliveryState.Failed, null, null, DeliveryState.Pending, At),
            LedgerKind.DeliveryReplayed, "admin", TheDelivery,
            """{"recipient":"000.00.32.H56","by":"admin","reason":"bulk after outage","previousState":"failed","newState":"pending","filter":{"recipient":"000.00.32.H56","since":"2026-01-15T15:05:00+07:00","error":"timeout"}}"""),
        new("DeliveryEntries.Replayed", "the rows a console dry run showed, picked by id within its filter",
            DeliveryEntries.Replayed(Delivery, new ReplayNote("user:lan", "recipient fixed its system", new ReplayFilter(ErrorCode: "confirm-fail", Before: Later, DeliveryIds: [7, 8])),
                DeliveryState.Failed, null, null, DeliveryState.Pending, At),
            LedgerKind.DeliveryReplayed, "user:lan", TheDelivery,
            """{"recipient":"000.00.32.H56","by":"user:lan","reason":"recipient fixed its system","previousState":"failed","newState":"pending","filter":{"before":"2026-01-15T15:05:00+07:00","error":"confirm-fail","deliveries":2}}"""),
        new("DeliveryEntries.Replayed", "routed again: the retired recipient's successor pulls it",
            DeliveryEntries.Replayed(Delivery, new ReplayNote("admin", "successor registered", null), DeliveryState.Failed, "hub district-1 is disabled", "hub-disabled",
                DeliveryState.Pending, At, new ReplayRoute("000.00.32.OLD", DeliveryMode.Push, "district-1"), new ReplayRoute(Recipient, DeliveryMode.Pull, null)),
            LedgerKind.DeliveryReplayed, "admin", TheDelivery,
            """{"recipient":"000.00.32.H56","by":"admin","reason":"successor registered","previousState":"failed","previousError":"hub district-1 is disabled","previousErrorCode":"hub-disabled","newState":"pending","single":true,"previousRoute":{"recipient":"000.00.32.OLD","mode":"push","via":"district-1"},"route":{"recipient":"000.00.32.H56","mode":"pull"}}"""),
        new("AttemptEntries.Started", "a push to the recipient's endpoint, named by the agency, not the URL",
            AttemptEntries.Started(Work, null, At), LedgerKind.AttemptStarted, "hub", TheDelivery,
            """{"recipient":"000.00.32.H56","attempt":3,"peer":"agency:000.00.32.H56"}"""),
        new("AttemptEntries.Started", "a forward to another hub",
            AttemptEntries.Started(Work, "hub-national", At), LedgerKind.AttemptStarted, "hub", TheDelivery,
            """{"recipient":"000.00.32.H56","attempt":3,"peer":"hub:hub-national"}"""),
        new("AttemptEntries.Started", "a recipient without an endpoint",
            AttemptEntries.Started(Work with { Endpoint = null }, null, At), LedgerKind.AttemptStarted, "hub", TheDelivery,
            """{"recipient":"000.00.32.H56","attempt":3}"""),
        new("AttemptEntries.Ended", "a forward the next hub took, with its receipt",
            AttemptEntries.Ended(Delivery, new PushRecord(12, 3, At, At, DeliveryState.Delivered, null, false, null, null, "N-77", [1, 2, 3, 4])),
            LedgerKind.AttemptSucceeded, "hub", TheDelivery,
            """{"recipient":"000.00.32.H56","attempt":3,"peerDocId":"N-77","peerReceipt":"AQIDBA=="}"""),
        new("AttemptEntries.Ended", "a transient failure, retried later",
            AttemptEntries.Ended(Delivery, new PushRecord(12, 3, At, At, DeliveryState.Retrying, "no answer within 30 s", false, Later, "timeout")),
            LedgerKind.AttemptFailed, "hub", TheDelivery,
            """{"recipient":"000.00.32.H56","attempt":3,"error":"no answer within 30 s","errorCode":"timeout","nextAttemptAt":"2026-01-15T15:05:00+07:00"}"""),
        new("AttemptEntries.Ended", "a permanent refusal by the peer",
            AttemptEntries.Ended(Delivery, new PushRecord(12, 4, At, At, DeliveryState.Failed, "HTTP 400: bad package", true, null, "unexpected")),
            LedgerKind.AttemptFailed, "hub", TheDelivery,
            """{"recipient":"000.00.32.H56","attempt":4,"error":"HTTP 400: bad package","errorCode":"unexpected","permanent":true}"""),
        new("DirectoryEntries.AgencySaved", "with every field",
            DirectoryEntries.AgencySaved(new Agency(Recipient, "Sở Y tế", "000.00.00.H56", AgencyTier.Department, true, null, new Uri("https://qlvb.example.vn/edoc"), At)
                { ServedBy = "hub-north" }, "admin", At),
            LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"agency.saved","Code":"000.00.32.H56","Name":"S\u1EDF Y t\u1EBF","ParentCode":"000.00.00.H56","Tier":"department","pushEndpoint":"https://qlvb.example.vn/edoc","servedBy":"hub-north"}"""),
        new("DirectoryEntries.AgencySaved", "without parent, endpoint or serving hub",
            DirectoryEntries.AgencySaved(new Agency("000.00.00.H56", "UBND tỉnh Hà Nam", null, AgencyTier.Province, true, null, null, At), "admin", At),
            LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"agency.saved","Code":"000.00.00.H56","Name":"UBND t\u1EC9nh H\u00E0 Nam","Tier":"province"}"""),
        new("DirectoryEntries.AgencySaved", "over a client system's registration, which it clears",
            DirectoryEntries.AgencySaved(new Agency(Registered, "Thon Dong", "000.00.61.H56", AgencyTier.Other, true, null, null, At), "admin", At, "qlvb-hac-thanh"),
            LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"agency.saved","Code":"000.01.61.H56","Name":"Thon Dong","ParentCode":"000.00.61.H56","Tier":"other","clearedOwner":"qlvb-hac-thanh"}"""),
        new("DirectoryEntries.AgencySaved", "a code in neither form accepted as an exception",
            DirectoryEntries.AgencySaved(new Agency("vxp.test.07", "Hệ thống thử nghiệm trục", null, AgencyTier.Other, true, null, null, At) { NonStandard = true }, "admin", At),
            LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"agency.saved","Code":"vxp.test.07","Name":"H\u1EC7 th\u1ED1ng th\u1EED nghi\u1EC7m tr\u1EE5c","Tier":"other","nonstandard":true}"""),
        new("DirectoryEntries.AgenciesSynced", "from the parent hub",
            DirectoryEntries.AgenciesSynced("hub-national", 120, 7, "admin", At), LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"agencies.synced","hub":"hub-national","received":120,"changed":7}"""),
        new("DirectoryEntries.HubSaved", "a parent with its secret",
            DirectoryEntries.HubSaved(new HubLink("hub-national", HubRole.Parent, new Uri("https://axis.example.vn/api/"), "lgsp-hanam", [1], null, true), "admin", At),
            LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"hub.saved","Id":"hub-national","role":"parent","baseUrl":"https://axis.example.vn/api/","systemId":"lgsp-hanam","secretSet":true,"Active":true,"policy":"strict"}"""),
        new("DirectoryEntries.HubSaved", "a disabled child",
            DirectoryEntries.HubSaved(new HubLink("hub-commune", HubRole.Child, null, null, null, "sys-commune", false), "admin", At),
            LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"hub.saved","Id":"hub-commune","role":"child","secretSet":false,"inboundSystem":"sys-commune","Active":false,"policy":"strict"}"""),
        new("DirectoryEntries.HubSaved", "a child with its registered signing certificate",
            DirectoryEntries.HubSaved(new HubLink("hub-commune", HubRole.Child, null, null, null, "sys-commune", true) { SigningCertificate = Certificate }, "admin", At),
            LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"hub.saved","Id":"hub-commune","role":"child","secretSet":false,"inboundSystem":"sys-commune","Active":true,"signingCertSha256":"a234d2295f3a6c9c38c53cf6229f212910bd3fae23b7aa43419e4ec749c7baf6","policy":"strict"}"""),
        new("DirectoryEntries.HubSaved", "a child whose link inherits the previous hub's legacy verdict",
            DirectoryEntries.HubSaved(new HubLink("hub-commune", HubRole.Child, null, null, null, "sys-commune", true) { Policy = LinkPolicy.Inherit }, "admin", At),
            LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"hub.saved","Id":"hub-commune","role":"child","secretSet":false,"inboundSystem":"sys-commune","Active":true,"policy":"inherit"}"""),
        new("DirectoryEntries.AgencyRetired", "in favour of its successor",
            DirectoryEntries.AgencyRetired("000.00.40.H56", Recipient, "admin", At), LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"agency.retired","code":"000.00.40.H56","successor":"000.00.32.H56"}"""),
        new("DirectoryEntries.AgencyRetired", "over a client system's registration, which it clears",
            DirectoryEntries.AgencyRetired(Registered, "000.00.61.H56", "admin", At, "qlvb-hac-thanh"), LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"agency.retired","code":"000.01.61.H56","successor":"000.00.61.H56","clearedOwner":"qlvb-hac-thanh"}"""),
        new("DirectoryEntries.CertificateAdded", "for an agency",
            DirectoryEntries.CertificateAdded("000.00.31.H56", Certificate, "admin", At), LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"certificate.added","agency":"000.00.31.H56","subject":"CN=S\u1EDF T\u00E0i ch\u00EDnh, O=UBND t\u1EC9nh H\u00E0 Nam, C=VN","sha256":"a234d2295f3a6c9c38c53cf6229f212910bd3fae23b7aa43419e4ec749c7baf6"}"""),
        new("DirectoryEntries.SystemSaved", "acting for two agencies under the legacy policy",
            DirectoryEntries.SystemSaved("qlvb-stc", PackagePolicy.Legacy, ["000.00.31.H56", Recipient], false, "admin", At), LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"system.saved","id":"qlvb-stc","policy":"legacy","agencies":["000.00.31.H56","000.00.32.H56"]}"""),
        new("DirectoryEntries.SystemSaved", "an auditor",
            DirectoryEntries.SystemSaved("qlvb-stc", PackagePolicy.Strict, [], true, "admin", At), LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"system.saved","id":"qlvb-stc","policy":"strict","agencies":[],"role":"auditor"}"""),
        new("DirectoryEntries.SystemSecretSet", "by an administrator",
            DirectoryEntries.SystemSecretSet("qlvb-stc", "admin", At), LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"system.secret","id":"qlvb-stc"}"""),
        new("DirectoryEntries.AgencyRegistered", "a new code",
            DirectoryEntries.AgencyRegistered(false, "000.01.33.H56", "Phòng Nội vụ", null, null, "qlvb-huyen", At), LedgerKind.DirectoryChanged, "qlvb-huyen", None,
            """{"change":"agency.registered","code":"000.01.33.H56","name":"Ph\u00F2ng N\u1ED9i v\u1EE5","owner":"qlvb-huyen"}"""),
        new("DirectoryEntries.AgencyRegistered", "an existing code, changed",
            DirectoryEntries.AgencyRegistered(true, "000.01.33.H56", "Phòng Nội vụ", "000.00.33.H56", "noivu@example.vn", "qlvb-huyen", At),
            LedgerKind.DirectoryChanged, "qlvb-huyen", None,
            """{"change":"agency.updated","code":"000.01.33.H56","name":"Ph\u00F2ng N\u1ED9i v\u1EE5","parentCode":"000.00.33.H56","mail":"noivu@example.vn","owner":"qlvb-huyen"}"""),
        new("DirectoryEntries.AgencyDeleted", "by its owner",
            DirectoryEntries.AgencyDeleted("000.01.33.H56", "qlvb-huyen", At), LedgerKind.DirectoryChanged, "qlvb-huyen", None,
            """{"change":"agency.deleted","code":"000.01.33.H56","owner":"qlvb-huyen"}"""),
        new("DirectoryEntries.RegistrationRequested", "with a mail address",
            DirectoryEntries.RegistrationRequested(Registration), LedgerKind.DirectoryChanged, "qlvb-hac-thanh", None,
            """{"change":"agency.registration.requested","code":"000.01.61.H56","name":"Thon Dong","parentCode":"000.00.61.H56","mail":"thondong@example.gov.vn","owner":"qlvb-hac-thanh"}"""),
        new("DirectoryEntries.RegistrationRequested", "without a mail address",
            DirectoryEntries.RegistrationRequested(Registration with { Mail = null }), LedgerKind.DirectoryChanged, "qlvb-hac-thanh", None,
            """{"change":"agency.registration.requested","code":"000.01.61.H56","name":"Thon Dong","parentCode":"000.00.61.H56","owner":"qlvb-hac-thanh"}"""),
        new("DirectoryEntries.RegistrationApproved", "by an operator",
            DirectoryEntries.RegistrationApproved(Registration, "confirmed with the commune", "operator:lan", At), LedgerKind.DirectoryChanged, "operator:lan", None,
            """{"change":"agency.registration.approved","code":"000.01.61.H56","name":"Thon Dong","parentCode":"000.00.61.H56","mail":"thondong@example.gov.vn","owner":"qlvb-hac-thanh","reason":"confirmed with the commune"}"""),
        new("DirectoryEntries.RegistrationRejected", "by an operator",
            DirectoryEntries.RegistrationRejected(Registration, "no such village", "operator:lan", At), LedgerKind.DirectoryChanged, "operator:lan", None,
            """{"change":"agency.registration.rejected","code":"000.01.61.H56","owner":"qlvb-hac-thanh","reason":"no such village"}"""),
        new("DirectoryEntries.CalendarDaySet", "a make-up Saturday",
            DirectoryEntries.CalendarDaySet(new DateOnly(2025, 2, 15), DayKind.Working, "Làm bù", "admin", At), LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"calendar.day.set","day":"2025-02-15","kind":"working","reason":"L\u00E0m b\u00F9"}"""),
        new("DirectoryEntries.CalendarDayRemoved", "an operator's entry",
            DirectoryEntries.CalendarDayRemoved(new DateOnly(2025, 2, 15), "admin", At), LedgerKind.DirectoryChanged, "admin", None,
            """{"change":"calendar.day.removed","day":"2025-02-15"}"""),
        new("TrustEntries.CertificateAdded", "a root",
            TrustEntries.CertificateAdded(Certificate, true, "admin", At), LedgerKind.TrustChanged, "admin", None,
            """{"change":"root.added","subject":"CN=S\u1EDF T\u00E0i ch\u00EDnh, O=UBND t\u1EC9nh H\u00E0 Nam, C=VN","sha256":"a234d2295f3a6c9c38c53cf6229f212910bd3fae23b7aa43419e4ec749c7baf6"}"""),
        new("TrustEntries.CertificateAdded", "an intermediate",
            TrustEntries.CertificateAdded(Certificate, false, "admin", At), LedgerKind.TrustChanged, "admin", None,
            """{"change":"intermediate.added","subject":"CN=S\u1EDF T\u00E0i ch\u00EDnh, O=UBND t\u1EC9nh H\u00E0 Nam, C=VN","sha256":"a234d2295f3a6c9c38c53cf6229f212910bd3fae23b7aa43419e4ec749c7baf6"}"""),
        new("TrustEntries.CrlAdded", "issued later in another offset",
            TrustEntries.CrlAdded([.. Enumerable.Range(1, 64).Select(i => (byte)i)], "CN=Sở Tài chính CA", Later, "admin", At), LedgerKind.TrustChanged, "admin", None,
            """{"change":"crl.added","issuer":"CN=S\u1EDF T\u00E0i ch\u00EDnh CA","thisUpdate":"2026-01-15T15:05:00+07:00","sha256":"20a7ec84684f7fe124cb3727d049734ab0b7da2f52fcafbcef989ecfd91e870b"}"""),
        new("UserEntries.Added", "an agency clerk",
            UserEntries.Added(Clerk, "operator:lan", At), LedgerKind.UserChanged, "operator:lan", None,
            """{"change":"user.added","name":"vanthu.taichinh","role":"agency","agencies":["000.00.02.H56"],"source":"local"}"""),
        new("UserEntries.Added", "an administrator",
            UserEntries.Added(Clerk with { Name = "lan", Role = ConsoleRole.Admin, Agencies = [] }, "operator:root", At), LedgerKind.UserChanged, "operator:root", None,
            """{"change":"user.added","name":"lan","role":"admin","source":"local"}"""),
        new("UserEntries.DisabledSet", "disabled",
            UserEntries.DisabledSet("lan", true, "user:admin", At), LedgerKind.UserChanged, "user:admin", None,
            """{"change":"user.disabled","name":"lan"}"""),
        new("UserEntries.DisabledSet", "enabled",
            UserEntries.DisabledSet("lan", false, "user:admin", At), LedgerKind.UserChanged, "user:admin", None,
            """{"change":"user.enabled","name":"lan"}"""),
        new("UserEntries.RoleSet", "an SSO clerk mapped again at sign-in",
            UserEntries.RoleSet("sso:f3a9", ConsoleRole.Agency, ["000.00.02.H56", "000.00.03.H56"], "user:sso:f3a9", At), LedgerKind.UserChanged, "user:sso:f3a9", None,
            """{"change":"user.role","name":"sso:f3a9","role":"agency","agencies":["000.00.02.H56","000.00.03.H56"]}"""),
        new("UserEntries.RoleSet", "an auditor",
            UserEntries.RoleSet("sso:f3a9", ConsoleRole.Auditor, [], "user:sso:f3a9", At), LedgerKind.UserChanged, "user:sso:f3a9", None,
            """{"change":"user.role","name":"sso:f3a9","role":"auditor"}"""),
        new("UserEntries.PasswordSet", "by an operator",
            UserEntries.PasswordSet("lan", "operator:root", At), LedgerKind.UserChanged, "operator:root", None,
            """{"change":"user.password","name":"lan"}"""),
        new("UserEntries.LockedOut", "after five failures",
            UserEntries.LockedOut("lan", 5, Later, At), LedgerKind.UserChanged, "hub", None,
            """{"change":"user.locked","name":"lan","failures":5,"until":"2026-01-15T15:05:00+07:00"}"""),
        new("WitnessEntries.Recorded", "a child's checkpoint",
            WitnessEntries.Recorded(ChildCheckpoint, new string('e', 64), "hub-province", "sys-child", At), LedgerKind.WitnessRecorded, "sys-child", None,
            """{"hub":"hub-child","firstSeq":7,"lastSeq":11,"count":5,"head":"9999999999999999999999999999999999999999999999999999999999999999","checkpointSha256":"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee","witness":"hub-province"}"""),
        new("WitnessEntries.Countersigned", "by the parent",
            WitnessEntries.Countersigned(new Witness("hub-province", "hub-child", 11, new string('9', 64), new string('e', 64), At), "hub", At),
            LedgerKind.WitnessCountersigned, "hub", None,
            """{"witness":"hub-province","lastSeq":11,"head":"9999999999999999999999999999999999999999999999999999999999999999","checkpointSha256":"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee","witnessedAt":"2026-01-15T08:00:01.123456Z"}"""),
    ];
}
