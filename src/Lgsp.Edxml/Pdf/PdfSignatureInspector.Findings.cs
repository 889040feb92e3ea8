using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Pdf;

// What is learned about one signature, and the ranges its signature covers.
public sealed partial class PdfSignatureInspector
{
    /// <summary>The two signed ranges [0, b) and [c, c + d) of a sane byte range.</summary>
    private readonly record struct SignedRanges(int FirstLength, int SecondStart, int SecondLength)
    {
        public byte[] Digest(ReadOnlySpan<byte> file, HashAlgorithmName hash)
        {
            using var h = IncrementalHash.CreateHash(hash);
            h.AppendData(file[..FirstLength]);
            h.AppendData(file.Slice(SecondStart, SecondLength));
            return h.GetHashAndReset();
        }
    }

    /// <summary>What is being learned about one signature.</summary>
    private sealed class SignatureFindings(int index, string? fieldName, string? subFilter)
    {
        public int Index { get; } = index;

        public string? FieldName { get; } = fieldName;

        public string? SubFilter { get; } = subFilter;

        public IReadOnlyList<long> ByteRange { get; set; } = [];

        public bool CoversWholeFile { get; set; }

        public bool IsIntact { get; set; }

        public X509Certificate2? Certificate { get; set; }

        public DateTimeOffset? SigningTime { get; set; }

        public ChainVerdict? Chain { get; set; }

        public SignerKind Kind { get; set; } = SignerKind.Unknown;

        public List<EdxmlError> Errors { get; } = [];

        public PdfSignature ToSignature() => new(
            Index, FieldName, SubFilter, ByteRange, CoversWholeFile, IsIntact, Certificate?.Subject, SigningTime,
            Certificate, Chain, Kind, Errors);
    }
}
