namespace Lgsp.Edxml.Errors;

/// <summary>
/// The stable machine codes of every finding the format core reports. These strings are part of
/// the public contract (SOAP faults, CLI output, logs, dashboards): never rename one; add new ones.
/// <c>docs/edxml.md</c> explains each.
/// </summary>
public static class ErrorCode
{
    // Reading: the bytes are not an edXML package we can read safely.
    /// <summary>The bytes are not well-formed XML.</summary>
    public const string MalformedXml = nameof(MalformedXml);
    /// <summary>Bytes before the XML declaration (the national SDK writes four junk bytes).</summary>
    public const string LeadingJunk = nameof(LeadingJunk);
    /// <summary>The package declares a DTD; DTDs are prohibited.</summary>
    public const string DtdProhibited = nameof(DtdProhibited);
    /// <summary>The package, an element or an attachment is larger than the configured limit.</summary>
    public const string TooLarge = nameof(TooLarge);
    /// <summary>The elements nest deeper than the configured limit.</summary>
    public const string TooDeep = nameof(TooDeep);
    /// <summary>The package has more elements than the configured limit.</summary>
    public const string TooManyElements = nameof(TooManyElements);
    /// <summary>The root element is not an edXML package.</summary>
    public const string NotEdxml = nameof(NotEdxml);

    // Structure and business rules.
    /// <summary>The package does not conform to the edXML schema.</summary>
    public const string SchemaViolation = nameof(SchemaViolation);
    /// <summary>A required element is absent or empty.</summary>
    public const string MissingField = nameof(MissingField);
    /// <summary>An element that may appear once appears more than once.</summary>
    public const string DuplicateField = nameof(DuplicateField);
    /// <summary>A value is longer than the standard allows.</summary>
    public const string FieldTooLong = nameof(FieldTooLong);
    /// <summary>A value is not a well-formed agency identifier.</summary>
    public const string InvalidAgencyCode = nameof(InvalidAgencyCode);
    /// <summary>The document has no recipient.</summary>
    public const string NoRecipient = nameof(NoRecipient);
    /// <summary>The same recipient appears twice.</summary>
    public const string DuplicateRecipient = nameof(DuplicateRecipient);
    /// <summary>The status code is not one of 01–06, 13, 15, 16.</summary>
    public const string UnknownStatusCode = nameof(UnknownStatusCode);
    /// <summary>The business document type is not 0–3.</summary>
    public const string UnknownBusinessType = nameof(UnknownBusinessType);
    /// <summary>A date or timestamp does not parse.</summary>
    public const string InvalidDate = nameof(InvalidDate);
    /// <summary>A number is not a number, or is out of its range.</summary>
    public const string InvalidNumber = nameof(InvalidNumber);
    /// <summary>The document is marked secret (MẬT, TỐI MẬT, TUYỆT MẬT) and may not travel here.</summary>
    public const string SecretDocument = nameof(SecretDocument);
    /// <summary>A manifest reference names an attachment the package does not carry.</summary>
    public const string AttachmentMissing = nameof(AttachmentMissing);
    /// <summary>An attachment is not listed in the manifest.</summary>
    public const string AttachmentUnreferenced = nameof(AttachmentUnreferenced);
    /// <summary>An attachment's content is not valid base64.</summary>
    public const string InvalidBase64 = nameof(InvalidBase64);
    /// <summary>An attachment declared or detected as zip cannot be read as one.</summary>
    public const string InvalidZip = nameof(InvalidZip);
    /// <summary>A zip attachment inflates beyond the size or ratio limit.</summary>
    public const string ZipBomb = nameof(ZipBomb);
    /// <summary>The document number is not numeric (tolerated).</summary>
    public const string NonNumericCodeNumber = nameof(NonNumericCodeNumber);
    /// <summary>A tolerated deviation from the standard (element in no namespace, other date format...).</summary>
    public const string Tolerated = nameof(Tolerated);

    // Envelope signature (XMLDSig).
    /// <summary>The package carries no signature and the policy requires one.</summary>
    public const string SignatureRequired = nameof(SignatureRequired);
    /// <summary>The signature element is a placeholder (not XMLDSig, or empty).</summary>
    public const string SignaturePlaceholder = nameof(SignaturePlaceholder);
    /// <summary>More than one signature, or a signature in the wrong place.</summary>
    public const string SignatureMisplaced = nameof(SignatureMisplaced);
    /// <summary>A signature, digest or canonicalization algorithm that is not allowed.</summary>
    public const string SignatureAlgorithmNotAllowed = nameof(SignatureAlgorithmNotAllowed);
    /// <summary>The reference list is not exactly one reference to the whole document.</summary>
    public const string SignatureReferenceInvalid = nameof(SignatureReferenceInvalid);
    /// <summary>A transform other than enveloped-signature and (exclusive) C14N.</summary>
    public const string SignatureTransformNotAllowed = nameof(SignatureTransformNotAllowed);
    /// <summary>The signed content's digest does not match: the package was altered.</summary>
    public const string SignatureDigestMismatch = nameof(SignatureDigestMismatch);
    /// <summary>The signature value does not verify with the signer's key.</summary>
    public const string SignatureInvalid = nameof(SignatureInvalid);
    /// <summary>No signer certificate in KeyInfo.</summary>
    public const string SignatureCertificateMissing = nameof(SignatureCertificateMissing);

    // Certificates and trust.
    /// <summary>A hub-signed document (checkpoint, receipt, countersignature, evidence statement) is
    /// signed by a certificate other than the pinned one(s), whatever its chain.</summary>
    public const string SignerNotPinned = nameof(SignerNotPinned);
    /// <summary>The chain does not end at a configured trust root.</summary>
    public const string CertificateUntrustedRoot = nameof(CertificateUntrustedRoot);
    /// <summary>A certificate in the chain is expired at the time checked.</summary>
    public const string CertificateExpired = nameof(CertificateExpired);
    /// <summary>A certificate in the chain is not yet valid at the time checked.</summary>
    public const string CertificateNotYetValid = nameof(CertificateNotYetValid);
    /// <summary>A certificate in the chain is on a loaded CRL.</summary>
    public const string CertificateRevoked = nameof(CertificateRevoked);
    /// <summary>Revocation could not be decided: no usable CRL from the issuer is loaded (a warning
    /// unless CRLs are required).</summary>
    public const string CertificateRevocationUnknown = nameof(CertificateRevocationUnknown);
    /// <summary>The issuer's CRL is past its next update (plus the configured grace), so its
    /// certificates are not trusted until a fresh CRL is loaded; within the grace, a warning.</summary>
    public const string CrlStale = nameof(CrlStale);
    /// <summary>The certificate may not be used for signing (key usage or extended key usage).</summary>
    public const string CertificateWrongKeyUsage = nameof(CertificateWrongKeyUsage);
    /// <summary>Any other chain failure (bad signature on a certificate, bad constraints...).</summary>
    public const string CertificateChainInvalid = nameof(CertificateChainInvalid);

    // PDF signatures.
    /// <summary>A PDF attachment cannot be parsed well enough to find its signatures.</summary>
    public const string PdfMalformed = nameof(PdfMalformed);
    /// <summary>A PDF signature's CMS does not verify over its byte range.</summary>
    public const string PdfSignatureInvalid = nameof(PdfSignatureInvalid);
    /// <summary>A PDF signature's byte range is not sane (not from 0, outside the file, not exactly around /Contents), or bytes follow it.</summary>
    public const string PdfByteRangeInvalid = nameof(PdfByteRangeInvalid);
}
