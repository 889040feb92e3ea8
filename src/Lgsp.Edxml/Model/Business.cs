namespace Lgsp.Edxml.Model;

/// <summary>The business operation a document package performs (<c>BussinessDocType</c>).</summary>
public enum BusinessDocType
{
    /// <summary>0: a new document.</summary>
    New = 0,

    /// <summary>1: revoke (take back) an earlier document.</summary>
    Revoke = 1,

    /// <summary>2: update an earlier document (its information and/or its receivers).</summary>
    Update = 2,

    /// <summary>3: replace earlier documents.</summary>
    Replace = 3,
}

/// <summary>The <c>TraceHeaderList/Bussiness</c> element (the standard's spelling), EDXML §3.</summary>
public sealed record Business
{
    /// <summary>The operation; null when absent or not a number (see <see cref="BussinessDocTypeText"/>).</summary>
    public BusinessDocType? BussinessDocType { get; init; }

    /// <summary>The operation exactly as written, so that an unknown value can be reported.</summary>
    public string? BussinessDocTypeText { get; init; }

    /// <summary>Why.</summary>
    public string? BussinessDocReason { get; init; }

    /// <summary>For an update or revoke: the document concerned.</summary>
    public string? DocumentId { get; init; }

    /// <summary>1 when a paper copy is also sent.</summary>
    public int? Paper { get; init; }

    /// <summary>Who handled it.</summary>
    public StaffInfo? StaffInfo { get; init; }

    /// <summary>Update details.</summary>
    public BusinessDocumentInfo? BussinessDocumentInfo { get; init; }

    /// <summary>Replace details.</summary>
    public ValueList<ReplacementInfo> ReplacementInfoList { get; init; } = ValueList<ReplacementInfo>.Empty;
}

/// <summary>What an update changes (<c>BussinessDocumentInfo</c>).</summary>
/// <param name="DocumentInfo">1 when the document information changes.</param>
/// <param name="DocumentReceiver">1 when the receivers change.</param>
/// <param name="ReceiverList">The receivers concerned.</param>
public sealed record BusinessDocumentInfo(string? DocumentInfo, string? DocumentReceiver, ValueList<Receiver> ReceiverList);

/// <summary>A receiver of an update.</summary>
/// <param name="OrganId">The agency.</param>
/// <param name="ReceiverType">Its role in the update (as a number).</param>
public sealed record Receiver(string? OrganId, int? ReceiverType);

/// <summary>A document being replaced and at which agencies.</summary>
/// <param name="DocumentId">The replaced document.</param>
/// <param name="OrganIdList">The agencies holding it.</param>
public sealed record ReplacementInfo(string? DocumentId, ValueList<string> OrganIdList);
