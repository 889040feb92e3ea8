using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Lgsp.Edxml.Trust;

/// <summary>Loads trust roots, intermediates and CRLs from files, as operators configure them.</summary>
/// <remarks>Stateless and thread safe. Never touches the operating system certificate store.</remarks>
public static class TrustMaterial
{
    /// <summary>Loads every certificate in a file: a PEM bundle (any number of
    /// <c>-----BEGIN CERTIFICATE-----</c> blocks; other blocks are ignored) or a single DER
    /// certificate.</summary>
    /// <exception cref="CryptographicException">The file holds no readable certificate.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<X509Certificate2> LoadCertificates(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return LoadCertificates(File.ReadAllBytes(path), path);
    }

    /// <summary>Loads every certificate in PEM bundle or DER bytes.</summary>
    /// <param name="data">The PEM or DER bytes.</param>
    /// <param name="source">A label for error messages (for example the file name); optional.</param>
    /// <exception cref="CryptographicException">The bytes hold no readable certificate.</exception>
    public static IReadOnlyList<X509Certificate2> LoadCertificates(ReadOnlySpan<byte> data, string? source = null)
    {
        var where = source is null ? "" : $" ({source})";
        if (!RevocationList.LooksLikePem(data))
        {
            return [X509CertificateLoader.LoadCertificate(data)];
        }

        var text = Encoding.ASCII.GetString(data).AsSpan();
        var result = new List<X509Certificate2>();
        while (PemEncoding.TryFind(text, out var fields))
        {
            if (text[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                result.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text[fields.Base64Data].ToString())));
            }

            text = text[fields.Location.End..];
        }

        return result.Count > 0
            ? result
            : throw new CryptographicException($"No CERTIFICATE block in the PEM data{where}.");
    }

    /// <summary>Loads every CRL in a file (PEM bundle or DER). Same as <see cref="RevocationList.LoadAll(string)"/>.</summary>
    /// <exception cref="CryptographicException">A block is not a readable CRL.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<RevocationList> LoadCrls(string path) => RevocationList.LoadAll(path);
}
