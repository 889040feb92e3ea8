using System.Security.Cryptography.X509Certificates;

namespace Lgsp.Edxml.Trust;

/// <summary>
/// How Vietnamese signing certificates name their holder, and therefore how a signer is
/// classified. An organisation certificate (the digital seal) carries
/// <c>CN=&lt;organisation&gt;, O=&lt;organisation&gt;, C=VN, UID=MDD:&lt;agency code&gt;</c>; a
/// personal certificate carries <c>CN=&lt;full name&gt;, T=&lt;title&gt;, O=&lt;organisation&gt;,
/// C=VN, UID=CCCD:&lt;citizen id&gt;</c> (title and organisation optional). .NET prints the
/// <c>UID</c> attribute as <c>userId</c>; read it with <see cref="UserId"/> rather than by parsing
/// <c>X509Certificate.Subject</c>.
/// </summary>
/// <remarks>Stateless and thread safe.</remarks>
public static class SubjectConvention
{
    /// <summary>The OID of the <c>UID</c> (userId) attribute, 0.9.2342.19200300.100.1.1.</summary>
    public const string UserIdOid = "0.9.2342.19200300.100.1.1";

    /// <summary>The OID of the <c>T</c> (title) attribute, 2.5.4.12.</summary>
    public const string TitleOid = "2.5.4.12";

    /// <summary>The OID of the <c>CN</c> (common name) attribute, 2.5.4.3.</summary>
    public const string CommonNameOid = "2.5.4.3";

    /// <summary>The OID of the <c>O</c> (organisation) attribute, 2.5.4.10.</summary>
    public const string OrganizationOid = "2.5.4.10";

    /// <summary>The OID of the <c>C</c> (country) attribute, 2.5.4.6.</summary>
    public const string CountryOid = "2.5.4.6";

    /// <summary>The <c>UID</c> prefix of an organisation certificate, followed by the agency code
    /// (<i>mã định danh</i>).</summary>
    public const string OrganizationPrefix = "MDD:";

    /// <summary>The <c>UID</c> prefix of a personal certificate, followed by the citizen id
    /// (<i>căn cước công dân</i>).</summary>
    public const string CitizenPrefix = "CCCD:";

    /// <summary>The value of the first attribute with <paramref name="oid"/> in
    /// <paramref name="name"/>, or null when it has none.</summary>
    public static string? Attribute(X500DistinguishedName name, string oid)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: false))
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == oid)
            {
                return rdn.GetSingleElementValue();
            }
        }

        return null;
    }

    /// <summary>The <c>UID</c> attribute of the certificate's subject (for example
    /// <c>MDD:000.00.00.G22</c>), or null.</summary>
    public static string? UserId(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Attribute(certificate.SubjectName, UserIdOid);
    }

    /// <summary>The agency code of an organisation certificate (the <c>UID</c> after
    /// <see cref="OrganizationPrefix"/>), or null when the certificate is not one.</summary>
    public static string? AgencyCode(X509Certificate2 certificate) => AfterPrefix(UserId(certificate), OrganizationPrefix);

    /// <summary>The citizen id of a personal certificate (the <c>UID</c> after
    /// <see cref="CitizenPrefix"/>), or null when the certificate is not one.</summary>
    public static string? CitizenId(X509Certificate2 certificate) => AfterPrefix(UserId(certificate), CitizenPrefix);

    private static string? AfterPrefix(string? value, string prefix) =>
        value is not null && value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && value.Length > prefix.Length
            ? value[prefix.Length..]
            : null;
}
