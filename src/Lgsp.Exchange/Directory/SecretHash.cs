using System.Security.Cryptography;
using System.Text;

namespace Lgsp.Exchange.Directory;

/// <summary>Client-system secrets at rest: PBKDF2-SHA256, 100 000 iterations, 16-byte salt, written as
/// <c>pbkdf2-sha256$iterations$salt$hash</c> (base64). Verification is constant-time.</summary>
/// <remarks>Thread safe.</remarks>
public static class SecretHash
{
    private const string Scheme = "pbkdf2-sha256";
    private const int Iterations = 100_000;

    /// <summary>Hashes a secret with a fresh salt.</summary>
    public static string Hash(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True when <paramref name="secret"/> matches <paramref name="stored"/>. A malformed stored
    /// value never matches.</summary>
    public static bool Verify(string secret, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
