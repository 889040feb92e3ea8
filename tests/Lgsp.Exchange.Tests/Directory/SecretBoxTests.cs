using System.Security.Cryptography;
using Lgsp.Exchange.Directory;

namespace Lgsp.Exchange.Tests.Directory;

public sealed class SecretBoxTests
{
    [Fact]
    public void A_sealed_secret_opens_to_the_same_text_and_does_not_contain_it()
    {
        var box = new SecretBox(RandomNumberGenerator.GetBytes(SecretBox.KeyBytes));

        var sealedValue = box.Seal("S3cret-Bí mật");

        Assert.Equal("S3cret-Bí mật", box.Open(sealedValue));
        Assert.DoesNotContain("S3cret", System.Text.Encoding.UTF8.GetString(sealedValue), StringComparison.Ordinal);
    }

    [Fact]
    public void Sealing_twice_gives_different_bytes()
    {
        var box = new SecretBox(RandomNumberGenerator.GetBytes(SecretBox.KeyBytes));

        Assert.NotEqual(box.Seal("x"), box.Seal("x"));
    }

    [Fact]
    public void A_secret_sealed_under_another_key_or_altered_does_not_open()
    {
        var box = new SecretBox(RandomNumberGenerator.GetBytes(SecretBox.KeyBytes));
        var other = new SecretBox(RandomNumberGenerator.GetBytes(SecretBox.KeyBytes));
        var sealedValue = box.Seal("secret");
        var altered = (byte[])sealedValue.Clone();
        altered[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => other.Open(sealedValue));
        Assert.ThrowsAny<CryptographicException>(() => box.Open(altered));
    }

    [Fact]
    public void LoadOrCreate_creates_an_owner_only_key_once_and_reuses_it()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("lgsp-key-");
        try
        {
            var path = Path.Combine(dir.FullName, "keys", "secret.key");
            var sealedValue = SecretBox.LoadOrCreate(path).Seal("kept");

            Assert.Equal("kept", SecretBox.LoadOrCreate(path).Open(sealedValue));
            Assert.Equal(SecretBox.KeyBytes, new FileInfo(path).Length);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_file_of_the_wrong_length_is_not_taken_for_a_key()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[5]);

            var error = Assert.Throws<InvalidDataException>(() => SecretBox.Load(path));
            Assert.Contains("32 bytes", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
