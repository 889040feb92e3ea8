using System.Diagnostics;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Observability;

namespace Lgsp.Server.Inbound.Accept;

/// <summary>The accept path as both front doors call it (SOAP <c>SendDocument</c> / <c>SendStatus</c>,
/// axis <c>sendEdoc</c>): <see cref="AcceptService"/>, then the accepted-package metrics and one log line,
/// so that a package counts and logs the same whichever door it came through.</summary>
/// <remarks>Refusals are left to the caller, which counts and logs them with its operation's name.
/// Thread safe.</remarks>
public sealed class PackageIntake(AcceptService accept, HubMetrics metrics, ILogger<PackageIntake> log)
{
    /// <summary>Accepts a spooled package (<see cref="AcceptService.AcceptAsync(ClientSystem, PackageSpool, PackageKind, Arrival?, CancellationToken)"/>),
    /// counts it and logs it. The caller owns the spool.</summary>
    /// <exception cref="Exchange.Errors.ExchangeException">The package is refused.</exception>
    public async Task<Acceptance> AcceptAsync(ClientSystem caller, PackageSpool package, PackageKind kind, Arrival? arrival, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var acceptance = await accept.AcceptAsync(caller, package, kind, arrival, ct);
        metrics.Accepted(KindLabel(kind), acceptance.Duplicate, watch.Elapsed);
        log.LogInformation("Accepted {Kind} {DocumentId} sha256 {Sha256} ({Size} bytes) as package {PackageId}, duplicate {Duplicate}",
            kind, acceptance.DocumentId, acceptance.Sha256, package.Length, acceptance.PackageId, acceptance.Duplicate);
        return acceptance;
    }

    /// <summary>Counts and logs a resend answered with the package an earlier call stored
    /// (<see cref="ResendWindow"/>): a duplicate that took no time.</summary>
    public void AnsweredResend(PackageKind kind, long packageId)
    {
        log.LogInformation("sendEdoc resend answered with package {PackageId}", packageId);
        metrics.Accepted(KindLabel(kind), duplicate: true, TimeSpan.Zero);
    }

    private static string KindLabel(PackageKind kind) => kind == PackageKind.Document ? "document" : "status";
}
