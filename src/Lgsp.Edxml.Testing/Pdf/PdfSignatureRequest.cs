using System.Security.Cryptography.X509Certificates;

namespace Lgsp.Edxml.Testing.Pdf;

/// <summary>The CMS profile of a PDF signature (the signature dictionary's <c>/SubFilter</c>).</summary>
public enum PdfSignatureFormat
{
    /// <summary><c>adbe.pkcs7.detached</c>: CMS with a signingTime signed attribute.</summary>
    Pkcs7Detached,

    /// <summary><c>ETSI.CAdES.detached</c> (PAdES baseline): CMS with the ESS signing-certificate-v2
    /// attribute and, as PAdES requires, no signingTime attribute; the claimed time is the
    /// dictionary's <c>/M</c>.</summary>
    CadesDetached,
}

/// <summary>What <see cref="PdfSigning.AppendSignature"/> writes besides the signature itself.</summary>
/// <remarks>Immutable.</remarks>
public sealed record PdfSignatureRequest
{
    /// <summary>The signature field's name (<c>/T</c>); null picks the first free <c>SignatureN</c>.
    /// Must not be the name of an existing field.</summary>
    public string? FieldName { get; init; }

    /// <summary>Why the document is signed (<c>/Reason</c>), or null.</summary>
    public string? Reason { get; init; }

    /// <summary>Where it is signed (<c>/Location</c>), or null.</summary>
    public string? Location { get; init; }

    /// <summary>The claimed signing time, written to <c>/M</c> and (for
    /// <see cref="PdfSignatureFormat.Pkcs7Detached"/>) the CMS signingTime attribute, to the second.
    /// Null means now.</summary>
    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>Certificates to embed besides the signer's (its intermediates, usually not the root).</summary>
    public IReadOnlyList<X509Certificate2> ExtraCertificates { get; init; } = [];

    /// <summary>The CMS profile (default <see cref="PdfSignatureFormat.Pkcs7Detached"/>).</summary>
    public PdfSignatureFormat Format { get; init; } = PdfSignatureFormat.Pkcs7Detached;
}
