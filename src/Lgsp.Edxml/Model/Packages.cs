using Lgsp.Edxml.Errors;

namespace Lgsp.Edxml.Model;

/// <summary>What the envelope carries in its signature slot (<c>edXMLHeader/Signature</c>).</summary>
public enum EnvelopeSignatureKind
{
    /// <summary>No signature element.</summary>
    None,

    /// <summary>An XMLDSig <c>Signature</c> (namespace <c>http://www.w3.org/2000/09/xmldsig#</c>).</summary>
    XmlDsig,

    /// <summary>A <c>Signature</c> or <c>DigitalSignature</c> outside the XMLDSig namespace, or an
    /// empty one: the national SDK writes such a placeholder; it proves nothing.</summary>
    Placeholder,
}

/// <summary>
/// An edXML package: a <see cref="DocumentPackage"/> or a <see cref="StatusPackage"/>. Immutable
/// records with value equality; build them with object initialisers and <c>with</c>.
/// </summary>
/// <remarks>A package read from bytes may hold attachment content in temporary files: dispose it.
/// Reading the model is thread safe.</remarks>
public abstract record EdxmlPackage : IDisposable
{
    /// <summary>Document or status.</summary>
    public abstract PackageKind Kind { get; }

    /// <summary>The sending agency.</summary>
    public Organization? From { get; init; }

    /// <summary>The signature slot as found by the reader (verification is separate).</summary>
    public EnvelopeSignatureKind SignatureKind { get; init; }

    /// <summary>What the reader noticed: tolerated deviations (warnings) and values it could not
    /// interpret (errors). Empty for a package built in code.</summary>
    public ValueList<EdxmlError> ReadFindings { get; init; } = ValueList<EdxmlError>.Empty;

    /// <summary>Releases attachment content held in temporary files.</summary>
    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
    }
}

/// <summary>A document package (messagetype <c>edoc</c>), EDXML §1 and §3.</summary>
public sealed record DocumentPackage : EdxmlPackage
{
    /// <inheritdoc />
    public override PackageKind Kind => PackageKind.Document;

    /// <summary>Recipients, in the order written.</summary>
    public ValueList<Organization> To { get; init; } = ValueList<Organization>.Empty;

    /// <summary>Number and notation.</summary>
    public DocumentCode? Code { get; init; }

    /// <summary>Place and date of promulgation.</summary>
    public PromulgationInfo? PromulgationInfo { get; init; }

    /// <summary>Document type.</summary>
    public DocumentType? DocumentType { get; init; }

    /// <summary>The subject ("trích yếu"), at most 500 characters.</summary>
    public string? Subject { get; init; }

    /// <summary>Content summary, at most 500 characters.</summary>
    public string? Content { get; init; }

    /// <summary>Who signed.</summary>
    public SignerInfo? SignerInfo { get; init; }

    /// <summary>Deadline for handling, if any.</summary>
    public EdxmlDate? DueDate { get; init; }

    /// <summary>The free-text "Nơi nhận" lines (each at most 150 characters).</summary>
    public ValueList<string> ToPlaces { get; init; } = ValueList<string>.Empty;

    /// <summary>Other information.</summary>
    public OtherInfo? OtherInfo { get; init; }

    /// <summary>Earlier documents this one answers.</summary>
    public ValueList<ResponseFor> ResponseFor { get; init; } = ValueList<ResponseFor>.Empty;

    /// <summary>Steering type (0/1/2; meaning not documented by the standard).</summary>
    public int? SteeringType { get; init; }

    /// <summary>The sender's identifier for the document: <c>{OrganId},{yyyy/MM/dd},{Number}/{Notation}</c>
    /// by the standard, a UUID with some producers. Opaque; unique per sender.</summary>
    public string? DocumentId { get; init; }

    /// <summary>Hops written by the sender's side.</summary>
    public ValueList<TraceHeader> TraceHeaders { get; init; } = ValueList<TraceHeader>.Empty;

    /// <summary>The business operation (new, revoke, update, replace).</summary>
    public Business? Business { get; init; }

    /// <summary><c>edXMLManifest/@version</c>.</summary>
    public string? ManifestVersion { get; init; }

    /// <summary>The manifest's references to attachments.</summary>
    public ValueList<ManifestReference> References { get; init; } = ValueList<ManifestReference>.Empty;

    /// <summary>The attachments, in the order written.</summary>
    public ValueList<Attachment> Attachments { get; init; } = ValueList<Attachment>.Empty;

    /// <summary>The business operation, <see cref="BusinessDocType.New"/> when absent.</summary>
    public BusinessDocType Operation => Business?.BussinessDocType ?? BusinessDocType.New;

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var a in Attachments)
        {
            a.Content.Dispose();
        }

        base.Dispose();
    }
}

/// <summary>A manifest entry (<c>edXMLBody/edXMLManifest/Reference</c>).</summary>
/// <param name="ContentId">The attachment's content id.</param>
/// <param name="ContentType">MIME type.</param>
/// <param name="Description">Description.</param>
/// <param name="AttachmentName">File name.</param>
public sealed record ManifestReference(string? ContentId, string? ContentType, string? Description, string? AttachmentName);

/// <summary>The nine business status codes (EDXML §2).</summary>
public enum StatusCode
{
    /// <summary>01: arrived; the receiving software has it, the clerk has not acted.</summary>
    Arrived = 1,

    /// <summary>02: rejected by the receiver, reason in the description.</summary>
    Rejected = 2,

    /// <summary>03: accepted and registered in the incoming book.</summary>
    Accepted = 3,

    /// <summary>04: assigned for handling.</summary>
    Assigned = 4,

    /// <summary>05: being processed (may repeat).</summary>
    Processing = 5,

    /// <summary>06: finished.</summary>
    Finished = 6,

    /// <summary>13: the sender asks to take the document back.</summary>
    TakeBackRequested = 13,

    /// <summary>15: the receiver agrees to the update or take-back.</summary>
    ChangeAccepted = 15,

    /// <summary>16: the receiver refuses the update or take-back.</summary>
    ChangeRejected = 16,
}

/// <summary>A business status package (messagetype <c>status</c>), EDXML §2.</summary>
public sealed record StatusPackage : EdxmlPackage
{
    /// <inheritdoc />
    public override PackageKind Kind => PackageKind.Status;

    /// <summary>The document the status is about; for code 13, <c>ResponseFor.OrganId</c> is the recipient it goes to.</summary>
    public ResponseFor? ResponseFor { get; init; }

    /// <summary>Who handled it.</summary>
    public StaffInfo? StaffInfo { get; init; }

    /// <summary>The two-digit code as written (see <see cref="Code"/>).</summary>
    public string? StatusCode { get; init; }

    /// <summary>Free text: the rejection reason for 02, and so on.</summary>
    public string? Description { get; init; }

    /// <summary>When the status was set.</summary>
    public EdxmlTimestamp? Timestamp { get; init; }

    /// <summary>The status code, or null when <see cref="StatusCode"/> is not one of the nine.</summary>
    public StatusCode? Code => StatusCodes.TryParse(StatusCode);
}

/// <summary>Status code text conversions.</summary>
public static class StatusCodes
{
    /// <summary>The code for two-digit text (<c>"01"</c>…), or null when it is not one of the nine.</summary>
    public static StatusCode? TryParse(string? text)
    {
        var t = text?.Trim();
        return t is { Length: 2 } && int.TryParse(t, System.Globalization.NumberStyles.None, null, out var n)
            && Enum.IsDefined(typeof(StatusCode), n)
            ? (StatusCode)n
            : null;
    }

    /// <summary>The receiver's handling statuses in the order a document goes through them (EDXML §2):
    /// arrived, rejected or accepted, assigned, being processed, finished. Statuses overtake each other
    /// on their way across hubs (each is its own delivery), so a delivery's latest status is the furthest
    /// along this order, not the last to arrive. The take-back dialogue (13, 15, 16) is not in it: those
    /// follow the order they arrive in.</summary>
    public static IReadOnlyList<string> Progression { get; } = ["01", "02", "03", "04", "05", "06"];

    /// <summary>The two-digit text of a code.</summary>
    public static string ToText(StatusCode code) => ((int)code).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
}
