using System.Security.Cryptography;
using System.Text;

namespace Lgsp.Exchange.Directory;

/// <summary>
/// Seals secrets the hub must be able to read back (the axis protocol's HMAC keys: client systems'
/// secrets and the secrets this hub presents to other hubs) with AES-256-GCM under a key kept outside
/// the database, so a database dump alone does not reveal them.
/// </summary>
/// <remarks>A sealed value is <c>version (1) ‖ nonce (12) ‖ tag (16) ‖ ciphertext</c>. Thread safe.</remarks>
public sealed class SecretBox
{
    /// <summary>Key length in bytes.</summary>
    public const int KeyBytes = 32;

    private const byte Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] _key;

    /// <summary>Creates a box over a 32-byte key.</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public SecretBox(byte[] key)
    {
        if (key.Length != KeyBytes)
        {
            throw new ArgumentException($"A secret key is {KeyBytes} bytes; this one has {key.Length}.", nameof(key));
        }

        _key = (byte[])key.Clone();
    }

    /// <summary>Loads the key file (32 raw bytes), creating it with a fresh random key, readable by its
    /// owner only, when it does not exist.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a key.</exception>
    public static SecretBox LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var fresh = RandomNumberGenerator.GetBytes(KeyBytes);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var file = new FileStream(path, options);
                file.Write(fresh);
                return new SecretBox(fresh);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }

        return Load(path);
    }

    /// <summary>Loads an existing key file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a key.</exception>
    public static SecretBox Load(string path)
    {
        var key = File.ReadAllBytes(path);
        return key.Length == KeyBytes
            ? new SecretBox(key)
            : throw new InvalidDataException($"'{path}' is not a secret key: a key file holds exactly {KeyBytes} bytes.");
    }

    /// <summary>Seals a secret.</summary>
    public byte[] Seal(string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedValue = new byte[1 + NonceBytes + TagBytes + plain.Length];
        sealedValue[0] = Version;
        var nonce = sealedValue.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, sealedValue.AsSpan(1 + NonceBytes + TagBytes), sealedValue.AsSpan(1 + NonceBytes, TagBytes));
        return sealedValue;
    }

    /// <summary>Opens a sealed secret.</summary>
    /// <exception cref="CryptographicException">It was sealed under another key, or altered.</exception>
    public string Open(byte[] sealedValue)
    {
        if (sealedValue.Length < 1 + NonceBytes + TagBytes || sealedValue[0] != Version)
        {
            throw new CryptographicException("Not a sealed secret of a known version.");
        }

        var plain = new byte[sealedValue.Length - 1 - NonceBytes - TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(sealedValue.AsSpan(1, NonceBytes), sealedValue.AsSpan(1 + NonceBytes + TagBytes),
            sealedValue.AsSpan(1 + NonceBytes, TagBytes), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
