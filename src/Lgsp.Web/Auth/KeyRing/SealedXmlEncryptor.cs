using System.Xml.Linq;
using Lgsp.Exchange.Directory;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Lgsp.Web.Auth.KeyRing;

/// <summary>Seals each new data-protection key with the hub's secret key (<c>Hub:SecretKeyPath</c>,
/// <see cref="SecretBox"/>: AES-256-GCM) before it is stored, so that the key ring in the database holds
/// no key material in clear: a database dump alone cannot forge a console cookie.</summary>
/// <remarks>The sealed form is <c>&lt;sealedKey version="1"&gt;base64(SecretBox.Seal(xml))&lt;/sealedKey&gt;</c>;
/// data protection stores beside it the type that opens it, <see cref="SealedXmlDecryptor"/>. Thread safe.</remarks>
public sealed class SealedXmlEncryptor(SecretBox secrets) : IXmlEncryptor
{
    /// <summary>The sealed element's name.</summary>
    public static readonly XName Element = XName.Get("sealedKey", "urn:lgsp:data-protection");

    /// <inheritdoc />
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var sealedValue = secrets.Seal(plaintextElement.ToString(SaveOptions.DisableFormatting));
        return new EncryptedXmlInfo(new XElement(Element, new XAttribute("version", "1"), Convert.ToBase64String(sealedValue)), typeof(SealedXmlDecryptor));
    }
}
