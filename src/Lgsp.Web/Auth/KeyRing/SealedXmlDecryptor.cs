using System.Security.Cryptography;
using System.Xml.Linq;
using Lgsp.Exchange.Directory;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace Lgsp.Web.Auth.KeyRing;

/// <summary>Opens a key sealed by <see cref="SealedXmlEncryptor"/> with the hub's secret key.</summary>
/// <remarks>Data protection makes it from the type name stored with each key, passing the application's
/// services: hence the constructor on <see cref="IServiceProvider"/>. Thread safe.</remarks>
public sealed class SealedXmlDecryptor : IXmlDecryptor
{
    private readonly SecretBox _secrets;

    /// <summary>Made by data protection, with the services holding the hub's <see cref="SecretBox"/>.</summary>
    public SealedXmlDecryptor(IServiceProvider services) : this(services.GetRequiredService<SecretBox>())
    {
    }

    /// <summary>A decryptor over <paramref name="secrets"/>.</summary>
    public SealedXmlDecryptor(SecretBox secrets) => _secrets = secrets;

    /// <inheritdoc />
    /// <exception cref="CryptographicException">The key was sealed with another secret key (an instance
    /// whose <c>Hub:SecretKeyPath</c> differs), or altered.</exception>
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        return XElement.Parse(Open(_secrets, encryptedElement));
    }

    /// <summary>The key's XML, opened.</summary>
    /// <exception cref="CryptographicException">Sealed with another secret key, altered, or not a sealed key.</exception>
    internal static string Open(SecretBox secrets, XElement sealedKey)
    {
        if (sealedKey.Name != SealedXmlEncryptor.Element || (string?)sealedKey.Attribute("version") != "1")
        {
            throw new CryptographicException($"Not a key sealed by the hub: <{sealedKey.Name.LocalName}>.");
        }

        try
        {
            return secrets.Open(Convert.FromBase64String(sealedKey.Value));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new CryptographicException(ConsoleKeyRing.ForeignSealEnglish, e);
        }
    }
}
