using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Pdf;

/// <summary>What <see cref="PdfSignatureInspector"/> found in one PDF.</summary>
/// <param name="IsPdf">True when <c>%PDF-</c> occurs in the first 1024 bytes.</param>
/// <param name="Signatures">Every signature dictionary found, in file order (for incremental
/// updates, oldest first).</param>
/// <param name="Errors">Findings about the file as a whole (<c>PdfMalformed</c>, <c>TooLarge</c>);
/// each signature carries its own findings.</param>
/// <remarks>Immutable.</remarks>
public sealed record PdfInspection(bool IsPdf, IReadOnlyList<PdfSignature> Signatures, IReadOnlyList<EdxmlError> Errors)
{
    /// <summary>Every finding: the file's, then each signature's, then each signature's chain verdict's.</summary>
    public IEnumerable<EdxmlError> AllErrors =>
        Errors.Concat(Signatures.SelectMany(s => s.Errors.Concat(s.Chain?.Errors ?? [])));
}

/// <summary>One signature of a PDF (ISO 32000-1 §12.8), as found and checked.</summary>
/// <param name="Index">1-based position in file order; findings about it use the field path
/// <c>PdfSignature[Index]</c>.</param>
/// <param name="FieldName">The fully qualified name of the signature field whose <c>/V</c> is this
/// signature, or null when no field points at it.</param>
/// <param name="SubFilter">The dictionary's <c>/SubFilter</c> (<c>adbe.pkcs7.detached</c>,
/// <c>ETSI.CAdES.detached</c>, <c>adbe.pkcs7.sha1</c>, <c>ETSI.RFC3161</c>...), or null.</param>
/// <param name="ByteRange">The <c>/ByteRange</c> numbers as written (normally four; empty when unreadable).</param>
/// <param name="CoversWholeFile">True when the byte range is sane and ends at the end of the file:
/// nothing was appended after this signature.</param>
/// <param name="IsIntact">True when the byte range is sane and the CMS signature verifies over it
/// with the signer certificate's public key (the signature value only, not the chain): the signed
/// bytes are exactly as signed.</param>
/// <param name="SignerSubject">The signer certificate's subject, or null when there is no certificate.</param>
/// <param name="SigningTime">The CMS signingTime signed attribute, else the time-stamp token's time
/// (document timestamps), else the dictionary's <c>/M</c>; null when none is readable. Only the
/// signer's claim, unless it is a document timestamp.</param>
/// <param name="SignerCertificate">The signer certificate from the CMS, or null.</param>
/// <param name="Chain">The trust verdict on the signer certificate; null when the inspector was given
/// no trust or there is no certificate.</param>
/// <param name="Kind">Organisation or personal signature by the inspector's
/// <see cref="SignerKindRule"/>; always <see cref="SignerKind.Unknown"/> for a document timestamp.</param>
/// <param name="Errors">Findings about this signature (<c>PdfByteRangeInvalid</c>,
/// <c>PdfSignatureInvalid</c>, warnings); chain findings are in <see cref="ChainVerdict.Errors"/>.</param>
/// <remarks>Immutable except for the certificate object, which callers must not dispose while they
/// use the record.</remarks>
public sealed record PdfSignature(
    int Index,
    string? FieldName,
    string? SubFilter,
    IReadOnlyList<long> ByteRange,
    bool CoversWholeFile,
    bool IsIntact,
    string? SignerSubject,
    DateTimeOffset? SigningTime,
    X509Certificate2? SignerCertificate,
    ChainVerdict? Chain,
    SignerKind Kind,
    IReadOnlyList<EdxmlError> Errors)
{
    /// <summary>True for a document timestamp (<c>/SubFilter /ETSI.RFC3161</c>) rather than a signature by a person or organisation.</summary>
    public bool IsDocumentTimestamp => SubFilter == PdfSubFilters.Rfc3161;
}

/// <summary>The <c>/SubFilter</c> values the inspector knows.</summary>
public static class PdfSubFilters
{
    /// <summary>CMS detached over the byte range.</summary>
    public const string Pkcs7Detached = "adbe.pkcs7.detached";

    /// <summary>CMS with an encapsulated SHA-1 digest of the byte range (deprecated in PDF 2.0).</summary>
    public const string Pkcs7Sha1 = "adbe.pkcs7.sha1";

    /// <summary>PAdES: CAdES detached over the byte range.</summary>
    public const string CadesDetached = "ETSI.CAdES.detached";

    /// <summary>A document timestamp: an RFC 3161 time-stamp token over the byte range.</summary>
    public const string Rfc3161 = "ETSI.RFC3161";
}
