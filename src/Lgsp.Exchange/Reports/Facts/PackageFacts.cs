namespace Lgsp.Exchange.Reports.Facts;

/// <summary>Which side of this hub's subtree an end of an exchange is on.</summary>
public enum ExchangeScope
{
    /// <summary>Served inside this hub's subtree (by this hub or a child hub).</summary>
    Internal,

    /// <summary>Reached through the parent hub (the agency is beyond it, or unknown here while a parent exists).</summary>
    External,

    /// <summary>A recipient with no route (its delivery was created failed).</summary>
    Unrouted,
}

/// <summary>Who signed: an organisation's certificate (the "digital seal"), a person's, one the
/// rule cannot tell, or nobody.</summary>
public enum SignerClass
{
    /// <summary>No valid signature (unsigned, or the national SDK's placeholder).</summary>
    Unsigned,

    /// <summary>An organisation's certificate, by the configured <see cref="Lgsp.Edxml.Pdf.SignerKindRule"/>.</summary>
    Organization,

    /// <summary>A person's certificate.</summary>
    Personal,

    /// <summary>Signed, but the rule cannot tell whose certificate it is.</summary>
    Unknown,
}

/// <summary>What the PDF inspector made of one PDF attachment.</summary>
public enum PdfVerdict
{
    /// <summary>At least one signature, and every signature intact.</summary>
    Signed,

    /// <summary>A readable PDF without signatures (document timestamps do not count).</summary>
    Unsigned,

    /// <summary>At least one signature does not verify over its bytes (altered after signing, or a bad value).</summary>
    Broken,

    /// <summary>Named or typed a PDF, but the inspector could not read it (no header, malformed, too large).</summary>
    Unreadable,
}

/// <summary>One recipient of a package, as the report counts it.</summary>
/// <param name="Recipient">The agency that gets it (after successor links).</param>
/// <param name="Tier">Its tier in the directory, or null when the directory does not know it.</param>
/// <param name="Scope">Inside the subtree, through the parent, or without a route.</param>
public sealed record RecipientFact(string Recipient, string? Tier, ExchangeScope Scope);

/// <summary>One PDF attachment, as the report counts it.</summary>
/// <param name="Ordinal">1-based position among the package's attachments.</param>
/// <param name="Name">The attachment's name, as written.</param>
/// <param name="Verdict">Signed, unsigned, broken or unreadable.</param>
/// <param name="OrganizationSigners">Intact signatures by an organisation's certificate.</param>
/// <param name="PersonalSigners">Intact signatures by a person's certificate.</param>
public sealed record AttachmentFact(int Ordinal, string? Name, PdfVerdict Verdict, int OrganizationSigners, int PersonalSigners);

/// <summary>What a package contributes to the exchange reports, taken at accept time in the accept
/// transaction so that nothing is re-parsed later (docs/reports.md).</summary>
public sealed record PackageFacts
{
    /// <summary>The sender's tier, or null when the directory does not know it.</summary>
    public string? FromTier { get; init; }

    /// <summary>Whether the sender is inside this hub's subtree.</summary>
    public required ExchangeScope FromScope { get; init; }

    /// <summary>Documents: <c>OtherInfo/Priority</c> (0 normal … 4 express), when given.</summary>
    public int? Priority { get; init; }

    /// <summary>Documents: <c>Business/Paper</c> is 1 (also sent on paper).</summary>
    public bool Paper { get; init; }

    /// <summary>Documents: <c>PromulgationInfo/PromulgationDate</c>, when it parses.</summary>
    public DateOnly? PromulgationDate { get; init; }

    /// <summary>The envelope signer's class, by the same rule as the PDF signers'.</summary>
    public required SignerClass EnvelopeSigner { get; init; }

    /// <summary>Each recipient the package's deliveries go to.</summary>
    public IReadOnlyList<RecipientFact> Recipients { get; init; } = [];

    /// <summary>Each PDF attachment.</summary>
    public IReadOnlyList<AttachmentFact> Attachments { get; init; } = [];

    /// <summary>Urgent for the "sent late" figure: any priority above normal (1 khẩn, 2 thượng khẩn,
    /// 3 hỏa tốc, 4 hỏa tốc hẹn giờ).</summary>
    public bool Urgent => Priority >= 1;
}
