using System.Globalization;
using System.Security.Cryptography;

namespace Lgsp.Edxml.Tests.Pdf.Syntax;

/// <summary>
/// What <see cref="Lgsp.Edxml.Pdf.PdfSignatureInspector"/> takes from the object layer about one
/// signature dictionary, as text so that two parsers' readings compare by value and a mismatch reads
/// well. Everything else the inspector decides (CMS, digests, chain) is a function of these facts and
/// the file's bytes, so equal facts mean equal verdicts.
/// </summary>
/// <param name="FieldName">The fully qualified name of the field whose <c>/V</c> is the dictionary, or null.</param>
/// <param name="SubFilter">The <c>/SubFilter</c> name, or null.</param>
/// <param name="ByteRange">The <c>/ByteRange</c> integers joined by spaces, or a bracketed reason they are not integers.</param>
/// <param name="Contents">Length and SHA-256 of the decoded <c>/Contents</c> hex string, or a bracketed reason there is none.</param>
/// <param name="GapIsContents">The byte range is four integers whose gap is exactly the <c>/Contents</c> hex string.</param>
/// <param name="SigningTime">The <c>/M</c> string as text, or null.</param>
internal sealed record SignatureFacts(
    string? FieldName, string? SubFilter, string ByteRange, string Contents, bool GapIsContents, string? SigningTime)
{
    public const string NotAnArray = "(not an array)";
    public const string NotIntegers = "(not integers)";
    public const string NoContents = "(no /Contents)";
    public const string LiteralContents = "(a literal string)";
    public const string NotHexDigits = "(not hex digits)";

    public static string ByteRangeOf(IReadOnlyList<long> numbers) =>
        string.Join(' ', numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)));

    public static string ContentsOf(ReadOnlySpan<byte> decoded) =>
        string.Create(CultureInfo.InvariantCulture, $"{decoded.Length} bytes, SHA-256 {Convert.ToHexString(SHA256.HashData(decoded))[..16]}");

    /// <summary>The gap <c>[b, c)</c> of a four-integer byte range, when the range is four integers.</summary>
    public static (long Start, long End)? GapOf(string byteRange)
    {
        var parts = byteRange.Split(' ');
        return parts.Length == 4 && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var b)
            && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var c)
            ? (b, c)
            : null;
    }
}

/// <summary>What one parser made of one file.</summary>
/// <param name="Failure">Why the parser calls the file malformed (our inspector's <c>PdfMalformed</c>
/// finding, or the first exception PdfPig threw), or null when it read the file.</param>
/// <param name="Signatures">The signature dictionaries found, in file order.</param>
/// <param name="Refused">The parser gave up on the whole file (PdfPig could not open it as a document).</param>
internal sealed record ObjectLayerReading(string? Failure, IReadOnlyList<SignatureFacts> Signatures, bool Refused = false)
{
    public bool IsMalformed => Failure is not null;

    public bool SameAs(ObjectLayerReading other) => IsMalformed == other.IsMalformed && Signatures.SequenceEqual(other.Signatures);

    public override string ToString() =>
        (Failure ?? "read") + "; " + (Signatures.Count == 0 ? "no signatures" : string.Join(" | ", Signatures));
}
