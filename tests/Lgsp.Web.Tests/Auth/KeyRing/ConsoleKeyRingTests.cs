using System.Security.Cryptography;
using System.Text;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Auth.KeyRing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lgsp.Web.Tests.Auth.KeyRing;

/// <summary>The console's key ring as data protection uses it: keys sealed with the hub's secret key,
/// one ring read by several instances, and an instance with another secret key kept out of it.</summary>
public sealed class ConsoleKeyRingTests
{
    private static readonly SecretBox Secrets = new(RandomNumberGenerator.GetBytes(SecretBox.KeyBytes));

    [Fact]
    public void A_stored_key_holds_no_key_material_in_clear_and_opens_only_with_the_secret_key_that_sealed_it()
    {
        var repository = new MemoryXmlRepository();
        using var instance = Instance(Secrets, repository);
        var keys = instance.GetRequiredService<IKeyManager>();
        var key = keys.CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        var master = MasterKeyOf(key);

        var stored = Assert.Single(repository.Stored());
        Assert.DoesNotContain("masterKey", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(master, stored, StringComparison.Ordinal);
        Assert.Contains("sealedKey", stored, StringComparison.Ordinal);
        Assert.Equal((1, 0), ConsoleKeyRing.Inspect(repository.GetAllElements(), Secrets));
        Assert.Equal((1, 1), ConsoleKeyRing.Inspect(repository.GetAllElements(), OtherSecrets()));
    }

    [Fact]
    public void A_key_sealed_with_another_secret_key_is_refused_with_the_reason()
    {
        var sealedKey = new SealedXmlEncryptor(Secrets).Encrypt(new System.Xml.Linq.XElement("key", "material")).EncryptedElement;

        var refusal = Assert.Throws<CryptographicException>(() => new SealedXmlDecryptor(OtherSecrets()).Decrypt(sealedKey));

        Assert.Equal(ConsoleKeyRing.ForeignSealEnglish, refusal.Message);
        Assert.Equal("material", new SealedXmlDecryptor(Secrets).Decrypt(sealedKey).Value);
    }

    [Fact]
    public void Another_instance_with_the_same_secret_key_reads_what_one_protected()
    {
        var repository = new MemoryXmlRepository();
        using var one = Instance(Secrets, repository);
        using var another = Instance(Secrets, repository);

        var payload = Protector(one).Protect(Encoding.UTF8.GetBytes("a console cookie"));

        // The other instance opens the key with a decryptor data protection made from its stored type name.
        Assert.Equal("a console cookie", Encoding.UTF8.GetString(Protector(another).Unprotect(payload)));
        Assert.Single(repository.Stored());
    }

    [Fact]
    public void Two_instances_that_each_created_a_key_at_once_read_each_others_payloads()
    {
        var repository = new MemoryXmlRepository();
        using var one = Instance(Secrets, repository);
        using var another = Instance(Secrets, repository);

        // Both found the ring empty and made a key: each protects with the key it knows as default.
        one.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        var fromOne = Protector(one).Protect(Encoding.UTF8.GetBytes("from one"));
        Thread.Sleep(20);
        another.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        var fromAnother = Protector(another).Protect(Encoding.UTF8.GetBytes("from another"));

        Assert.Equal(2, repository.Stored().Count);
        Assert.NotEqual(KeyIdOf(fromOne), KeyIdOf(fromAnother));
        Assert.Equal("from another", Encoding.UTF8.GetString(Protector(one).Unprotect(fromAnother)));
        Assert.Equal("from one", Encoding.UTF8.GetString(Protector(another).Unprotect(fromOne)));
    }

    [Fact]
    public async Task An_instance_whose_secret_key_opens_no_key_of_the_ring_refuses_the_console_and_adds_no_key()
    {
        var repository = new MemoryXmlRepository();
        using var one = Instance(Secrets, repository);
        await StartAsync(one);
        using var stray = Instance(OtherSecrets(), repository);

        await StartAsync(stray);

        Assert.False(one.GetRequiredService<ConsoleKeyRing>().Refused);
        Assert.True(stray.GetRequiredService<ConsoleKeyRing>().Refused);
        var refusal = Assert.ThrowsAny<Exception>(() => Protector(stray).Protect([1])).GetBaseException();
        Assert.IsType<InvalidOperationException>(refusal);
        Assert.Equal(ConsoleKeyRing.ForeignSealEnglish, refusal.Message);
        Assert.Single(repository.Stored());
    }

    [Fact]
    public async Task The_first_instance_to_start_on_an_empty_ring_makes_the_one_key_the_others_use()
    {
        var repository = new MemoryXmlRepository();
        var exclusive = new OneAtATime();
        var instances = Enumerable.Range(0, 3).Select(_ => Instance(Secrets, repository, exclusive)).ToList();

        await Task.WhenAll(instances.Select(i => Task.Run(() => StartAsync(i))));

        Assert.Single(repository.Stored());
        var payloads = instances.Select(i => Protector(i).Protect([1])).ToList();
        Assert.Single(payloads.Select(KeyIdOf).Distinct());
        instances.ForEach(i => i.Dispose());
    }

    private static ServiceProvider Instance(SecretBox secrets, MemoryXmlRepository repository, IExclusiveRun? exclusive = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(secrets);
        services.AddSingleton(exclusive ?? new OneAtATime());
        services.AddConsoleKeyRing(_ => repository);
        return services.BuildServiceProvider();
    }

    private static async Task StartAsync(IServiceProvider instance)
    {
        foreach (var hosted in instance.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    private static IDataProtector Protector(IServiceProvider instance) => instance.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

    private static SecretBox OtherSecrets() => new(RandomNumberGenerator.GetBytes(SecretBox.KeyBytes));

    // A payload is a 4-byte magic header, then the id of the key that protected it.
    private static Guid KeyIdOf(byte[] payload) => new(payload.AsSpan(4, 16));

    private static string MasterKeyOf(IKey key)
    {
        var xml = key.Descriptor.ExportToXml().SerializedDescriptorElement;
        return xml.Descendants("value").Single().Value;
    }

    /// <summary>The advisory lock of <see cref="IExclusiveRun"/>, within one process.</summary>
    private sealed class OneAtATime : IExclusiveRun
    {
        private readonly SemaphoreSlim _lock = new(1, 1);

        public async Task<bool> TryRunAsync(ExclusiveWork work, Func<CancellationToken, Task> run, CancellationToken ct)
        {
            if (!await _lock.WaitAsync(0, ct))
            {
                return false;
            }

            try
            {
                await run(ct);
                return true;
            }
            finally
            {
                _lock.Release();
            }
        }
    }
}
