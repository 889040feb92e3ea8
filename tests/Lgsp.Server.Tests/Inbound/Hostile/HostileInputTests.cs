using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Lgsp.TestSupport.Hub;

namespace Lgsp.Server.Tests.Inbound.Hostile;

/// <summary>Hostile input at both front doors (SOAP and the axis protocol), on one real hub process
/// (docs/security.md, "Hostile input at the doors"): each is refused with its code; nothing is stored but
/// one <c>package.refused</c> entry when a package was there to refuse (else the refusal is a metric);
/// the hub's peak memory stays within its budget; and a normal client is served meanwhile.</summary>
// This file holds the shared assertions; the cases are in HostileInputTests.*.cs.
public sealed partial class HostileInputTests
{
    /// <summary>How long a normal client's SendDocument may take while the hub is under attack.</summary>
    private static readonly TimeSpan NormalWithin = TimeSpan.FromSeconds(10);

    /// <summary>Sends <paramref name="send"/>'s hostile input while a normal client keeps sending, then
    /// checks the refusal: its code, the hostile sender's ledger entries since (<paramref name="ledger"/>:
    /// exactly one <c>package.refused</c> with the code, or nothing), no package stored, the refusal
    /// counted once, the hub's peak memory within its budget. <paramref name="answered"/> is the code the
    /// caller reads in the answer, when it differs (null: no answer reaches it).</summary>
    private async Task AssertRefusedAsync(HostileHub hub, string code, bool ledger, Func<Task<(int Status, string? Code)>> send, string? answered = "")
    {
        var head = await hub.LedgerHeadAsync();
        var stored = await hub.HostilePackagesAsync();
        var counted = RefusedCount(await hub.MetricsAsync(), code);
        var baseline = hub.ResetPeak();

        var (answer, slowest) = await ServedMeanwhileAsync(hub, send);

        var peak = hub.PeakBytes() - baseline;
        output.WriteLine($"answered {answer.Status} {answer.Code}; peak {peak / 1048576.0:0.0} MiB above the resting {baseline / 1048576.0:0} MiB; "
            + $"slowest normal send meanwhile {slowest.TotalMilliseconds:0} ms");
        foreach (var line in hub.Process.Output.Split('\n').Where(l => l.Contains(hub.Hostile.Id, StringComparison.Ordinal) || l.Contains("(unknown)", StringComparison.Ordinal)).TakeLast(3))
        {
            output.WriteLine("hub: " + line.Trim());
        }

        Assert.Equal(answered == "" ? code : answered, answer.Code);
        Assert.Equal(ledger ? ["package.refused:" + code] : [], await hub.LedgerSinceAsync(head, hub.Hostile.Id));
        Assert.Equal(stored, await hub.HostilePackagesAsync());
        Assert.Equal(counted + 1, await CountedAsync(hub, code, counted + 1));
        Assert.True(peak <= HostileHub.BudgetBytes, $"The hub's peak memory rose {peak / 1048576.0:0.0} MiB, over its budget.");
    }

    /// <summary>Runs <paramref name="hostile"/> while a normal client sends documents one after another
    /// (at least one); every normal send must succeed within <see cref="NormalWithin"/>.</summary>
    private static async Task<(T Answer, TimeSpan Slowest)> ServedMeanwhileAsync<T>(HostileHub hub, Func<Task<T>> hostile)
    {
        var running = Task.Run(hostile);
        var slowest = TimeSpan.Zero;
        do
        {
            var took = await hub.SendNormalAsync();
            Assert.True(took < NormalWithin, $"A normal SendDocument took {took.TotalSeconds:0.0} s meanwhile.");
            slowest = took > slowest ? took : slowest;
        }
        while (!running.IsCompleted);

        return (await running, slowest);
    }

    /// <summary>The hostile sender's SOAP request with <paramref name="envelope"/> as its body.</summary>
    private static async Task<(int Status, string? Code)> PostSoapAsync(HostileHub hub, byte[] envelope)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, hub.SoapUri) { Content = new ByteArrayContent(envelope) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        request.Headers.Add("SOAPAction", $"\"{EdocHttp.Namespace}/SendDocument\"");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{hub.Hostile.Id}:{hub.Hostile.Secret}")));
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, FaultCode(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>The hostile sender's package through <paramref name="door"/> (<c>soap</c> SendDocument, <c>axis</c> sendEdoc).</summary>
    private static async Task<(int Status, string? Code)> SendPackageAsync(HostileHub hub, string door, byte[] package)
    {
        if (door == "soap")
        {
            return await PostSoapAsync(hub, EdocHttp.SendDocumentEnvelope(package));
        }

        using var client = hub.HostileAxis();
        var result = await client.SendEdocAsync(Axis.AxisHub.Send(HostileHub.HostileAgency), package);
        return (result.HttpStatus, result.Status == "OK" ? null : result.ErrorCode);
    }

    /// <summary>Refusals counted with <paramref name="code"/>, once they reach <paramref name="expected"/> or
    /// after 5 s: a refusal whose caller closed the connection is counted a moment after it is gone.</summary>
    private static async Task<double> CountedAsync(HostileHub hub, string code, double expected)
    {
        var watch = Stopwatch.StartNew();
        double count;
        while ((count = RefusedCount(await hub.MetricsAsync(), code)) < expected && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(100);
        }

        return count;
    }

    /// <summary>Refusals counted with <paramref name="code"/>, whatever the operation.</summary>
    private static double RefusedCount(string metrics, string code) =>
        Regex.Matches(metrics, "^lgsp_packages_refused_total\\{[^}]*code=\"" + Regex.Escape(code) + "\"[^}]*\\} (\\S+)$", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
}
