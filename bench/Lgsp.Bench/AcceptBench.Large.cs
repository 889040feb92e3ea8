using System.Diagnostics;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;

namespace Lgsp.Bench;

// The large-package row of issue 14: one package of about 50 MB sent alone over SOAP, its accept time
// and how far it raises the hub process's peak resident memory (VmHWM, reset before each send).
internal sealed partial class AcceptBench
{
    private const int LargeRuns = 3;

    public async Task RunLargeAsync(int attachmentBytes)
    {
        Line($"## Large accept, {DateTime.Now:yyyy-MM-dd}");
        Line();
        Line($"Machine: {Environment.ProcessorCount} cores, {MemoryGiB()} GiB, load average {LoadAverage()} at the start; hub defaults.");
        Line();
        Line("| run | package | accept (SOAP, one client) | hub peak RSS growth | × the package |");
        Line("|---|---|---|---|---|");
        var system = _demo.Systems[0];
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };

        // A small send first, so the hub's JIT and pools are warm and the baseline is a working hub's.
        await EdocHttp.SendDocumentAsync(http, _hub.SoapUri, system.Id, system.Secret, Prepare(system, RecipientsOf(system.Agencies[0])).Envelope);
        for (var run = 1; run <= LargeRuns; run++)
        {
            var number = Interlocked.Increment(ref _number).ToString(Inv);
            var package = TestPackages.Sign(TestPackages.Document(system.Agencies[0], RecipientsOf(system.Agencies[0]), number: number, attachmentBytes: attachmentBytes),
                system.CertPem, system.KeyPem);
            var envelope = EdocHttp.SendDocumentEnvelope(package);
            var baseline = _hub.ResetPeak();
            var watch = Stopwatch.StartNew();
            await EdocHttp.SendDocumentAsync(http, _hub.SoapUri, system.Id, system.Secret, envelope);
            var took = watch.Elapsed;
            var growth = _hub.PeakBytes() - baseline;
            Say($"Large run {run}: {package.Length} bytes accepted in {took.TotalSeconds:0.00} s, peak +{growth / 1048576.0:0} MiB");
            Line($"| {run} | {package.Length:N0} bytes | {took.TotalSeconds:0.00} s | +{growth / 1048576.0:0} MiB | {(double)growth / package.Length:0.00} |");
        }

        Line();
        Line($"Load average at the end: {LoadAverage()}.");
        Console.Write(_report.ToString());
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
