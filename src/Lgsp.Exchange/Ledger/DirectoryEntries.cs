using System.Security.Cryptography.X509Certificates;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Exchange.Reports.Calendar;

namespace Lgsp.Exchange.Ledger;

/// <summary>The <see cref="LedgerKind.DirectoryChanged"/> entries: an agency, agency certificate, hub
/// link or client system changed, written in the transaction of the change. The detail's
/// <c>change</c> says which change it was; the rest says what changed. The actor is the
/// administrator or, for the axis protocol's own registrations, the client system.</summary>
/// <remarks>Some details spell their fields in PascalCase (<c>Code</c>, <c>Name</c>, <c>Id</c>…): sealed
/// ledgers hold them so, and they stay.</remarks>
public static class DirectoryEntries
{
    /// <summary>Change <c>agency.saved</c>: an administrator created or updated an agency.</summary>
    /// <param name="agency">The agency as saved. Detail: <c>Code</c>, <c>Name</c>, <c>ParentCode</c>,
    /// <c>Tier</c>, <c>pushEndpoint</c>, <c>servedBy</c>, and <c>nonstandard</c> (true) when its code is an
    /// accepted exception to both code forms (absent otherwise).</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    /// <param name="clearedOwner">Detail <c>clearedOwner</c>: the client system that had registered the
    /// agency and lost its ownership (and the mandate that came with it) by this change; null when none
    /// did.</param>
    public static NewLedgerEntry AgencySaved(Agency agency, string actor, DateTimeOffset at, string? clearedOwner = null)
    {
        ArgumentNullException.ThrowIfNull(agency);
        return Changed(actor, at, new
        {
            change = "agency.saved", agency.Code, agency.Name, agency.ParentCode, agency.Tier, pushEndpoint = agency.PushEndpoint?.ToString(),
            servedBy = agency.ServedBy, nonstandard = agency.NonStandard ? true : (bool?)null, clearedOwner,
        });
    }

    /// <summary>Change <c>agencies.synced</c>: the agencies the parent hub serves were taken from its
    /// directory.</summary>
    /// <param name="hub">Detail <c>hub</c>: the parent hub.</param>
    /// <param name="received">Detail <c>received</c>: how many agencies it sent.</param>
    /// <param name="changed">Detail <c>changed</c>: how many rows that changed here.</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry AgenciesSynced(string hub, int received, int changed, string actor, DateTimeOffset at) =>
        Changed(actor, at, new { change = "agencies.synced", hub, received, changed });

    /// <summary>Change <c>hub.saved</c>: a link to another hub was created or updated.</summary>
    /// <param name="hub">The link as saved. Detail: <c>Id</c>, <c>role</c>, <c>baseUrl</c>, <c>systemId</c>,
    /// <c>secretSet</c> (whether a secret is stored, never the secret), <c>inboundSystem</c>,
    /// <c>Active</c>, <c>signingCertSha256</c> (the SHA-256 of the hub's registered signing
    /// certificate, when one is).</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry HubSaved(HubLink hub, string actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(hub);
        return Changed(actor, at, new
        {
            change = "hub.saved", hub.Id, role = NewLedgerEntry.Word(hub.Role), baseUrl = hub.BaseUrl?.ToString(), systemId = hub.SystemId,
            secretSet = hub.SealedSecret is not null, inboundSystem = hub.InboundSystem, hub.Active,
            signingCertSha256 = hub.SigningCertificate is { } certificate ? Edxml.Signatures.SignerCheck.Fingerprint(certificate) : null,
            policy = LinkPolicies.Word(hub.Policy),
        });
    }

    /// <summary>Change <c>agency.retired</c>: an agency was retired in favour of a successor, which gets
    /// what is addressed to it from now on.</summary>
    /// <param name="code">Detail <c>code</c>: the retired agency.</param>
    /// <param name="successor">Detail <c>successor</c>: its successor.</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    /// <param name="clearedOwner">Detail <c>clearedOwner</c>: as for <see cref="AgencySaved"/>.</param>
    public static NewLedgerEntry AgencyRetired(string code, string successor, string actor, DateTimeOffset at, string? clearedOwner = null) =>
        Changed(actor, at, new { change = "agency.retired", code, successor, clearedOwner });

    /// <summary>Change <c>certificate.added</c>: a signing certificate was registered for an agency.</summary>
    /// <param name="agency">Detail <c>agency</c>: the agency's code.</param>
    /// <param name="certificate">The certificate. Detail: its <c>subject</c> and <c>sha256</c>.</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry CertificateAdded(string agency, X509Certificate2 certificate, string actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Changed(actor, at, new { change = "certificate.added", agency, subject = certificate.Subject, sha256 = NewLedgerEntry.Sha256Hex(certificate.RawData) });
    }

    /// <summary>Change <c>system.saved</c>: a client system was created or updated (a new secret with it;
    /// the secret is never recorded).</summary>
    /// <param name="id">Detail <c>id</c>: the system.</param>
    /// <param name="policy">Detail <c>policy</c>: strict or legacy.</param>
    /// <param name="agencies">Detail <c>agencies</c>: the agencies it acts for.</param>
    /// <param name="auditor">Detail <c>role</c> is <c>auditor</c> when true, absent otherwise.</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry SystemSaved(string id, PackagePolicy policy, IReadOnlyCollection<string> agencies, bool auditor, string actor,
        DateTimeOffset at) =>
        Changed(actor, at, new { change = "system.saved", id, policy = NewLedgerEntry.Word(policy), agencies, role = auditor ? "auditor" : null });

    /// <summary>Change <c>system.secret</c>: a client system's secret was replaced (the secret is never
    /// recorded).</summary>
    /// <param name="id">Detail <c>id</c>: the system.</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry SystemSecretSet(string id, string actor, DateTimeOffset at) =>
        Changed(actor, at, new { change = "system.secret", id });

    /// <summary>Change <c>agency.registered</c>, or <c>agency.updated</c> when the code existed: a client
    /// system registered an agency it owns over the axis protocol (<c>registerAgency</c>), and something
    /// changed. Actor: that system. Written before registrations waited for an operator (migration
    /// 0010); ledgers keep such entries, and the hub now writes <see cref="RegistrationRequested"/> and
    /// <see cref="RegistrationApproved"/> instead.</summary>
    /// <param name="existed">The agency existed before.</param>
    /// <param name="code">Detail <c>code</c>.</param>
    /// <param name="name">Detail <c>name</c>.</param>
    /// <param name="parentCode">Detail <c>parentCode</c>.</param>
    /// <param name="mail">Detail <c>mail</c>.</param>
    /// <param name="owner">Detail <c>owner</c>: the registering system, also the actor.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry AgencyRegistered(bool existed, string code, string name, string? parentCode, string? mail, string owner,
        DateTimeOffset at) =>
        Changed(owner, at, new { change = existed ? "agency.updated" : "agency.registered", code, name, parentCode, mail, owner });

    /// <summary>Change <c>agency.deleted</c>: the client system that owns an agency deleted it over the axis
    /// protocol. Actor: that system.</summary>
    /// <param name="code">Detail <c>code</c>.</param>
    /// <param name="owner">Detail <c>owner</c>: the owning system, also the actor.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry AgencyDeleted(string code, string owner, DateTimeOffset at) =>
        Changed(owner, at, new { change = "agency.deleted", code, owner });

    /// <summary>Change <c>agency.registration.requested</c>: a client system asked over the axis protocol
    /// (<c>registerAgency</c>) to add or change an agency under its own; the request waits for an
    /// operator. Actor: that system.</summary>
    /// <param name="request">The request. Detail: <c>code</c>, <c>name</c>, <c>parentCode</c>, <c>mail</c>,
    /// <c>owner</c> (the requesting system, also the actor).</param>
    public static NewLedgerEntry RegistrationRequested(AgencyRegistrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Changed(request.SystemId, request.RequestedAt, new
        {
            change = "agency.registration.requested", code = request.Code, name = request.Name, parentCode = request.ParentCode, mail = request.Mail,
            owner = request.SystemId,
        });
    }

    /// <summary>Change <c>agency.registration.approved</c>: an operator approved a waiting request; the
    /// agency is in the directory, owned by the requesting system, which acts for it.</summary>
    /// <param name="request">The request approved. Detail: <c>code</c>, <c>name</c>, <c>parentCode</c>,
    /// <c>mail</c>, <c>owner</c>.</param>
    /// <param name="reason">Detail <c>reason</c>: the operator's reason.</param>
    /// <param name="actor">The operator.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry RegistrationApproved(AgencyRegistrationRequest request, string reason, string actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Changed(actor, at, new
        {
            change = "agency.registration.approved", code = request.Code, name = request.Name, parentCode = request.ParentCode, mail = request.Mail,
            owner = request.SystemId, reason,
        });
    }

    /// <summary>Change <c>agency.registration.rejected</c>: an operator rejected a waiting request; the
    /// directory is unchanged.</summary>
    /// <param name="request">The request rejected. Detail: <c>code</c>, <c>owner</c>.</param>
    /// <param name="reason">Detail <c>reason</c>: the operator's reason.</param>
    /// <param name="actor">The operator.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry RegistrationRejected(AgencyRegistrationRequest request, string reason, string actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Changed(actor, at, new { change = "agency.registration.rejected", code = request.Code, owner = request.SystemId, reason });
    }

    /// <summary>Change <c>calendar.day.set</c>: an operator made a day a holiday or a working day in
    /// the reports' working-day calendar (overriding the bundled file for that day).</summary>
    /// <param name="day">Detail <c>day</c>: the local date, <c>yyyy-MM-dd</c>.</param>
    /// <param name="kind">Detail <c>kind</c>: <c>holiday</c> or <c>working</c>.</param>
    /// <param name="reason">Detail <c>reason</c>: why.</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry CalendarDaySet(DateOnly day, DayKind kind, string reason, string actor, DateTimeOffset at) =>
        Changed(actor, at, new { change = "calendar.day.set", day = Day(day), kind = BundledHolidays.Word(kind), reason });

    /// <summary>Change <c>calendar.day.removed</c>: an operator removed their entry for a day; the
    /// bundled file, or the weekday, decides it again.</summary>
    /// <param name="day">Detail <c>day</c>: the local date, <c>yyyy-MM-dd</c>.</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry CalendarDayRemoved(DateOnly day, string actor, DateTimeOffset at) =>
        Changed(actor, at, new { change = "calendar.day.removed", day = Day(day) });

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static NewLedgerEntry Changed(string actor, DateTimeOffset at, object detail) => new(LedgerKind.DirectoryChanged, actor, at, detail);
}
