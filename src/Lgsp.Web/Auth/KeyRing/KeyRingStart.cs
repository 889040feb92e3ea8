using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lgsp.Web.Auth.KeyRing;

/// <summary>
/// Opens the console's key ring before the hub answers its first request, one instance at a time
/// (<see cref="ExclusiveWork.KeyRingStart"/>): the first instance on an empty ring creates its key, the
/// others wait and read it, so instances starting at once do not each make a key of their own (data
/// protection would read each other's keys only after its next refresh of the ring). A ring sealed
/// with another secret key is logged once, as an error naming the cause, and the console is refused on
/// this instance; the hub's other doors start as usual.
/// </summary>
internal sealed class KeyRingStart(IExclusiveRun exclusive, IOptions<KeyManagementOptions> options, SecretBox secrets,
    IDataProtectionProvider protection, ConsoleKeyRing ring, ILogger<KeyRingStart> log) : IHostedService
{
    /// <summary>How long an instance waits for another that is opening the ring.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var waitUntil = DateTime.UtcNow + Patience;
        try
        {
            while (!await exclusive.TryRunAsync(ExclusiveWork.KeyRingStart, _ =>
            {
                Open();
                return Task.CompletedTask;
            }, cancellationToken))
            {
                if (DateTime.UtcNow > waitUntil)
                {
                    // Data protection opens the ring itself on the first console request.
                    log.LogWarning("Another hub instance held the console's key ring for {Seconds} s; this instance goes on without waiting", Patience.TotalSeconds);
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The console's keys are the console's affair: SOAP, the axis protocol and the jobs start anyway.
            log.LogError(e, "The console's key ring could not be opened at start; the console tries again on its first request");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Open()
    {
        var (keys, unopened) = ConsoleKeyRing.Inspect(options.Value.XmlRepository!.GetAllElements(), secrets);
        if (keys > 0 && unopened == keys)
        {
            ring.Refuse();
            log.LogError("{Code}: none of the {Keys} console key(s) in the database opens with this instance's secret key. {Reason} The console refuses to sign anyone in on this instance; SOAP, the axis protocol and the jobs are not affected",
                ConsoleKeyRing.ForeignSealCode, keys, ConsoleKeyRing.ForeignSealEnglish);
            return;
        }

        if (unopened > 0)
        {
            log.LogWarning("{Code}: {Unopened} of the {Keys} console key(s) in the database do not open with this instance's secret key and are ignored (an instance with another Hub:SecretKeyPath made them)",
                ConsoleKeyRing.ForeignSealCode, unopened, keys);
        }

        // Protecting once makes data protection read the ring, and create its first key if it has none,
        // while this instance holds the lock.
        protection.CreateProtector(typeof(KeyRingStart).FullName!).Protect([1]);
        log.LogInformation("The console's key ring is open: {Keys} key(s) in the database before this start", keys);
    }
}
