namespace Lgsp.Edxml.Model;

/// <summary>An agency as it appears in <c>From</c> and <c>To</c> (EDXML §1). Every value is the text
/// the producer wrote; nothing is normalised.</summary>
/// <param name="OrganId">The agency identifier (mã định danh), e.g. <c>000.00.00.H56</c>.</param>
/// <param name="OrganName">The agency's name (at most 200 characters).</param>
/// <param name="OrganizationInCharge">The governing body (at most 500).</param>
/// <param name="OrganAdd">Postal address (at most 500).</param>
/// <param name="Email">Email (at most 100).</param>
/// <param name="Telephone">Telephone (at most 20).</param>
/// <param name="Fax">Fax (at most 20).</param>
/// <param name="Website">Website.</param>
public sealed record Organization(
    string? OrganId,
    string? OrganName = null,
    string? OrganizationInCharge = null,
    string? OrganAdd = null,
    string? Email = null,
    string? Telephone = null,
    string? Fax = null,
    string? Website = null);

/// <summary>The document's number and notation: "Số 7816/VPCP-TTĐT" is <c>7816</c> + <c>VPCP-TTĐT</c>.</summary>
/// <param name="CodeNumber">The number (at most 11 characters; numeric by the standard).</param>
/// <param name="CodeNotation">The notation (at most 30).</param>
public sealed record DocumentCode(string? CodeNumber, string? CodeNotation)
{
    /// <summary>Splits a combined code such as <c>7816/VPCP-TTĐT</c> (the form status packages use
    /// in <c>ResponseFor/Code</c>) at its first slash.</summary>
    public static DocumentCode Split(string? combined)
    {
        if (string.IsNullOrWhiteSpace(combined))
        {
            return new DocumentCode(null, null);
        }

        var slash = combined.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? new DocumentCode(combined.Trim(), null)
            : new DocumentCode(combined[..slash].Trim(), combined[(slash + 1)..].Trim());
    }

    /// <summary><c>number/notation</c>, or whichever part exists.</summary>
    public override string ToString() => CodeNotation is null ? CodeNumber ?? "" : $"{CodeNumber}/{CodeNotation}";
}

/// <summary>Where and when the document was promulgated.</summary>
/// <param name="Place">Place (at most 50 characters).</param>
/// <param name="PromulgationDate">Date of promulgation.</param>
public sealed record PromulgationInfo(string? Place, EdxmlDate? PromulgationDate);

/// <summary>The document's type. Routing never reads anything here.</summary>
/// <param name="Type">1 legal-normative, 2 administrative (samples are sloppy: kept as text).</param>
/// <param name="TypeDetail">Sub-type code.</param>
/// <param name="TypeName">Type name, e.g. "Công văn" (at most 100).</param>
public sealed record DocumentType(string? Type, string? TypeDetail, string? TypeName);

/// <summary>Who signed the document on paper: e.g. competence "TL. BỘ TRƯỞNG".</summary>
/// <param name="Competence">Signing competence.</param>
/// <param name="Position">Position.</param>
/// <param name="FullName">Full name.</param>
public sealed record SignerInfo(string? Competence, string? Position, string? FullName);

/// <summary>Other information (EDXML §1, <c>OtherInfo</c>).</summary>
public sealed record OtherInfo
{
    /// <summary>0 normal … 4 express with a deadline.</summary>
    public int? Priority { get; init; }

    /// <summary>Sphere of promulgation (at most 100 characters); may carry a secrecy marking.</summary>
    public string? SphereOfPromulgation { get; init; }

    /// <summary>Typist's initials (at most 10).</summary>
    public string? TyperNotation { get; init; }

    /// <summary>Number of copies promulgated.</summary>
    public int? PromulgationAmount { get; init; }

    /// <summary>Number of pages.</summary>
    public int? PageAmount { get; init; }

    /// <summary>Direction flag (meaning not documented by the standard).</summary>
    public bool? Direction { get; init; }

    /// <summary>Appendix titles.</summary>
    public ValueList<string> Appendixes { get; init; } = ValueList<string>.Empty;
}

/// <summary>An earlier document this one answers, or that a status is about.</summary>
/// <param name="OrganId">The agency that sent the earlier document.</param>
/// <param name="Code">Its code as written (status packages combine number and notation: see <see cref="DocumentCode.Split"/>).</param>
/// <param name="PromulgationDate">Its promulgation date.</param>
/// <param name="DocumentId">Its DocumentId: the key statuses are routed on.</param>
public sealed record ResponseFor(string? OrganId, string? Code, EdxmlDate? PromulgationDate, string? DocumentId);

/// <summary>The person at an agency's office handling a package.</summary>
/// <param name="Department">Department.</param>
/// <param name="Staff">Staff member's name.</param>
/// <param name="Mobile">Mobile number.</param>
/// <param name="Email">Email.</param>
public sealed record StaffInfo(string? Department, string? Staff, string? Mobile, string? Email);

/// <summary>One hop written by the sender's side into <c>TraceHeaderList</c>.</summary>
/// <param name="OrganId">The agency.</param>
/// <param name="Timestamp">When.</param>
public sealed record TraceHeader(string? OrganId, EdxmlTimestamp? Timestamp);
