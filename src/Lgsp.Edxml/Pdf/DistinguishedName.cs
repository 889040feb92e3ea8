using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Lgsp.Edxml.Pdf;

/// <summary>Reads the attributes of an X.500 name, multi-valued RDNs included, with the short
/// names Vietnamese certificate profiles use.</summary>
internal static class DistinguishedName
{
    public const string OidCommonName = "2.5.4.3";
    public const string OidOrganization = "2.5.4.10";
    public const string OidUserId = "0.9.2342.19200300.100.1.1";
    public const string OidTitle = "2.5.4.12";
    public const string OidGivenName = "2.5.4.42";
    public const string OidSurname = "2.5.4.4";

    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CN"] = OidCommonName,
        ["O"] = OidOrganization,
        ["OU"] = "2.5.4.11",
        ["C"] = "2.5.4.6",
        ["L"] = "2.5.4.7",
        ["S"] = "2.5.4.8",
        ["ST"] = "2.5.4.8",
        ["STREET"] = "2.5.4.9",
        ["T"] = OidTitle,
        ["TITLE"] = OidTitle,
        ["SN"] = OidSurname,
        ["SURNAME"] = OidSurname,
        ["G"] = OidGivenName,
        ["GN"] = OidGivenName,
        ["GIVENNAME"] = OidGivenName,
        ["SERIALNUMBER"] = "2.5.4.5",
        ["UID"] = OidUserId,
        ["USERID"] = OidUserId,
        ["E"] = "1.2.840.113549.1.9.1",
        ["EMAIL"] = "1.2.840.113549.1.9.1",
        ["EMAILADDRESS"] = "1.2.840.113549.1.9.1",
        ["DC"] = "0.9.2342.19200300.100.1.25",
    };

    /// <summary>The OID for a short name (case-insensitive) or a dotted OID, or null when unknown.</summary>
    private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string? ResolveAttribute(string nameOrOid)
    {
        var s = nameOrOid.Trim();
        if (s.StartsWith("OID.", StringComparison.OrdinalIgnoreCase))
        {
            s = s[4..];
        }

        if (ShortNames.TryGetValue(s, out var oid))
        {
            return oid;
        }

        return s.Length > 0 && s.All(c => char.IsAsciiDigit(c) || c == '.') && !s.StartsWith('.') && !s.EndsWith('.')
            && !s.Contains("..", StringComparison.Ordinal)
            ? s
            : null;
    }

    /// <summary>Every (OID, value) pair of the name in encoded order; values that are not strings are skipped.</summary>
    public static IReadOnlyList<(string Oid, string Value)> Attributes(X500DistinguishedName name)
    {
        var result = new List<(string, string)>();
        try
        {
            var rdns = new AsnReader(name.RawData, AsnEncodingRules.BER).ReadSequence();
            while (rdns.HasData)
            {
                var set = rdns.ReadSetOf(skipSortOrderValidation: true);
                while (set.HasData)
                {
                    var atv = set.ReadSequence();
                    var oid = atv.ReadObjectIdentifier();
                    var tag = atv.PeekTag();
                    var encoded = atv.ReadEncodedValue();
                    if (TryReadString(tag, encoded.Span, out var value))
                    {
                        result.Add((oid, value));
                    }
                }
            }
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            // A malformed name yields the attributes read before the damage.
        }

        return result;
    }

    private static bool TryGetString(this UTF8Encoding encoding, byte[] bytes, out string value)
    {
        try
        {
            value = encoding.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            value = string.Empty;
            return false;
        }
    }

    private static bool TryReadString(Asn1Tag tag, ReadOnlySpan<byte> encoded, out string value)
    {
        value = string.Empty;
        if (tag.TagClass != TagClass.Universal)
        {
            return false;
        }

        try
        {
            switch ((UniversalTagNumber)tag.TagValue)
            {
                case UniversalTagNumber.UTF8String:
                case UniversalTagNumber.PrintableString:
                case UniversalTagNumber.IA5String:
                case UniversalTagNumber.VisibleString:
                case UniversalTagNumber.NumericString:
                case UniversalTagNumber.BMPString:
                    value = AsnDecoder.ReadCharacterString(encoded, AsnEncodingRules.BER, (UniversalTagNumber)tag.TagValue, out _);
                    return true;
                case UniversalTagNumber.T61String:
                    // Some CAs put UTF-8 in T61String; read it as UTF-8 when it is valid, else as Latin-1.
                    if (tag.IsConstructed)
                    {
                        return false;
                    }

                    AsnDecoder.ReadEncodedValue(encoded, AsnEncodingRules.BER, out var contentOffset, out var contentLength, out _);
                    var bytes = encoded.Slice(contentOffset, contentLength).ToArray();
                    value = Utf8Strict.TryGetString(bytes, out var utf8) ? utf8 : Encoding.Latin1.GetString(bytes);
                    return true;
                default:
                    return false;
            }
        }
        catch (Exception e) when (e is AsnContentException or ArgumentException)
        {
            return false;
        }
    }
}
