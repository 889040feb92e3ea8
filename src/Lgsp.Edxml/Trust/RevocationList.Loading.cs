using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;

namespace Lgsp.Edxml.Trust;

// Loading: files and bytes, PEM (one CRL or a bundle) or DER.
public sealed partial class RevocationList
{
    /// <summary>Loads a CRL file, PEM (<c>-----BEGIN X509 CRL-----</c>) or DER.</summary>
    /// <exception cref="CryptographicException">The file is not a CRL this parser can read.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RevocationList Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Load(File.ReadAllBytes(path), path);
    }

    /// <summary>Loads a CRL from PEM or DER bytes.</summary>
    /// <param name="data">The CRL, PEM or DER.</param>
    /// <param name="source">A label for findings (for example the file name); optional.</param>
    /// <exception cref="CryptographicException">The bytes are not a CRL this parser can read.</exception>
    public static RevocationList Load(ReadOnlySpan<byte> data, string? source = null)
    {
        var der = TryPem(data) ?? data.ToArray();
        try
        {
            return Parse(der, source);
        }
        catch (AsnContentException ex)
        {
            throw new CryptographicException($"Not a valid X.509 CRL{(source is null ? "" : $" ({source})")}: {ex.Message}", ex);
        }
    }

    /// <summary>Loads every CRL in a PEM bundle (several <c>X509 CRL</c> blocks), or the single CRL
    /// of a DER file.</summary>
    /// <exception cref="CryptographicException">A block is not a CRL this parser can read.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<RevocationList> LoadAll(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return LoadAll(File.ReadAllBytes(path), path);
    }

    /// <summary>Loads every CRL in PEM bytes (several <c>X509 CRL</c> blocks), or the single CRL of
    /// DER bytes.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="source">A label for messages (for example the file name).</param>
    /// <exception cref="CryptographicException">A block is not a CRL this parser can read, or there is none.</exception>
    public static IReadOnlyList<RevocationList> LoadAll(ReadOnlySpan<byte> data, string? source)
    {
        if (!LooksLikePem(data))
        {
            return [Load(data, source)];
        }

        var text = Encoding.ASCII.GetString(data).AsSpan();
        var result = new List<RevocationList>();
        while (PemEncoding.TryFind(text, out var fields))
        {
            if (text[fields.Label].SequenceEqual(PemLabel))
            {
                var der = Convert.FromBase64String(text[fields.Base64Data].ToString());
                try
                {
                    result.Add(Parse(der, source));
                }
                catch (AsnContentException ex)
                {
                    throw new CryptographicException($"Not a valid X.509 CRL ({source}): {ex.Message}", ex);
                }
            }

            text = text[fields.Location.End..];
        }

        if (result.Count == 0)
        {
            throw new CryptographicException($"No X509 CRL block in {source}.");
        }

        return result;
    }

    /// <summary>DER always starts with a SEQUENCE tag (0x30); anything else holding a PEM
    /// boundary is treated as PEM.</summary>
    internal static bool LooksLikePem(ReadOnlySpan<byte> data) =>
        data.Length > 0 && data[0] != 0x30 && data.IndexOf("-----BEGIN "u8) >= 0;

    private static byte[]? TryPem(ReadOnlySpan<byte> data)
    {
        if (!LooksLikePem(data))
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(data).AsSpan();
        while (PemEncoding.TryFind(text, out var fields))
        {
            if (text[fields.Label].SequenceEqual(PemLabel))
            {
                return Convert.FromBase64String(text[fields.Base64Data].ToString());
            }

            text = text[fields.Location.End..];
        }

        throw new CryptographicException("The PEM data holds no X509 CRL block.");
    }
}
