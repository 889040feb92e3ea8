using System.Security.Cryptography;
using System.Xml.Linq;
using Lgsp.Exchange.Directory;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lgsp.Web.Auth.KeyRing;

/// <summary>
/// The console's data-protection key ring (the sign-in cookie, the forms' antiforgery tokens, the single
/// sign-on's state): one ring for every hub instance sharing a database, kept where the host says
/// (the hub: <c>lgsp.data_protection_key</c>), each key sealed with the hub's secret key. Also whether
/// this instance can use it: an instance whose secret key differs from the one that sealed the ring
/// cannot, and its console says so instead of signing anyone in.
/// </summary>
/// <remarks>Thread safe.</remarks>
public sealed class ConsoleKeyRing
{
    /// <summary>The application name every instance gives data protection: the same name, the same ring
    /// (the default would be the content root, which differs from one machine's directory to another's).</summary>
    public const string ApplicationName = "lgsp-hub";

    /// <summary>The stable code of the refusal, in the log and on the console's page.</summary>
    public const string ForeignSealCode = "KeyRingForeignSeal";

    /// <summary>Why the ring cannot be opened, in English.</summary>
    public const string ForeignSealEnglish =
        "The console's sign-in keys in the database were sealed with another secret key than this instance's (Hub:SecretKeyPath): give every instance the same secret key file.";

    /// <summary>Why the ring cannot be opened, in Vietnamese.</summary>
    public const string ForeignSealVietnamese =
        "Khóa đăng nhập của bảng điều khiển trong cơ sở dữ liệu được niêm phong bằng một khóa bí mật khác với khóa của máy chủ này (Hub:SecretKeyPath): mọi máy chủ phải dùng cùng một tệp khóa bí mật.";

    private volatile bool _refused;

    /// <summary>True when this instance cannot open the ring (see <see cref="ForeignSealEnglish"/>): the
    /// console refuses every page, and no key is added to the ring.</summary>
    public bool Refused => _refused;

    /// <summary>Marks the ring as unusable by this instance.</summary>
    internal void Refuse() => _refused = true;

    /// <summary>How many keys <paramref name="elements"/> hold, and how many of them <paramref name="secrets"/>
    /// cannot open (sealed with another secret key, or not sealed at all).</summary>
    public static (int Keys, int Unopened) Inspect(IEnumerable<XElement> elements, SecretBox secrets)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var keys = 0;
        var unopened = 0;
        foreach (var key in elements.Where(e => e.Name.LocalName == "key"))
        {
            keys++;
            var sealedKey = key.Descendants(SealedXmlEncryptor.Element).FirstOrDefault();
            try
            {
                if (sealedKey is null)
                {
                    throw new CryptographicException("A key not sealed by the hub.");
                }

                SealedXmlDecryptor.Open(secrets, sealedKey);
            }
            catch (CryptographicException)
            {
                unopened++;
            }
        }

        return (keys, unopened);
    }
}

/// <summary>Wiring of the console's key ring.</summary>
public static class ConsoleKeyRingRegistration
{
    /// <summary>Keeps data protection's keys in <paramref name="repository"/>, sealed with the registered
    /// <see cref="SecretBox"/>, under <see cref="ConsoleKeyRing.ApplicationName"/>; at start, opens the ring
    /// (creating its first key) on one instance at a time (<see cref="KeyRingStart"/>).</summary>
    /// <param name="services">The host's services, with a <see cref="SecretBox"/> and an
    /// <see cref="Lgsp.Exchange.Storage.IExclusiveRun"/>.</param>
    /// <param name="repository">Where the keys are kept (the hub: its database).</param>
    public static IServiceCollection AddConsoleKeyRing(this IServiceCollection services, Func<IServiceProvider, IXmlRepository> repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        services.AddSingleton<ConsoleKeyRing>();
        services.AddDataProtection().SetApplicationName(ConsoleKeyRing.ApplicationName);

        // Registered after data protection's own setup, so these win over its default (a directory under
        // the service account's home, or memory when it has none).
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, sp) =>
        {
            options.XmlRepository = new GuardedXmlRepository(repository(sp), sp.GetRequiredService<ConsoleKeyRing>());
            options.XmlEncryptor = new SealedXmlEncryptor(sp.GetRequiredService<SecretBox>());
        });

        // Before data protection's own start, which would otherwise read the ring first and create a key
        // without the lock (or, on an instance with another secret key, add one sealed with it).
        var first = services.ToList().FindIndex(d => d.ServiceType == typeof(IHostedService));
        services.Insert(first < 0 ? services.Count : first, ServiceDescriptor.Singleton<IHostedService, KeyRingStart>());
        return services;
    }

    /// <summary>Adds nothing to a ring this instance cannot open: a key sealed with a stray secret key
    /// would be unreadable by every other instance.</summary>
    private sealed class GuardedXmlRepository(IXmlRepository inner, ConsoleKeyRing ring) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() => inner.GetAllElements();

        public void StoreElement(XElement element, string friendlyName)
        {
            if (ring.Refused)
            {
                throw new InvalidOperationException(ConsoleKeyRing.ForeignSealEnglish);
            }

            inner.StoreElement(element, friendlyName);
        }
    }
}
