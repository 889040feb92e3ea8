using Lgsp.Server.Demo;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;

namespace Lgsp.Bench;

// The signed packages the clients send, built before the run: each accepted package must be new to the hub.
internal sealed partial class AcceptBench
{
    private sealed record Prepared(byte[] Package, byte[] Envelope);

    private async Task<bool> SendAsync(HttpClient http, DemoSystem system, Queue<Prepared> pool)
    {
        if (!pool.TryDequeue(out var prepared))
        {
            return false;
        }

        var answer = await EdocHttp.SendDocumentAsync(http, _hub.SoapUri, system.Id, system.Secret, prepared.Envelope);
        return answer.Duplicate ? throw new InvalidOperationException("A prepared package was a duplicate.") : true;
    }

    /// <summary>Distinct signed packages for each sender; each sender's queue is used by its worker only.</summary>
    private Queue<Prepared>[] Build(DemoSystem[] senders, int perSender)
    {
        var built = new Prepared[senders.Length][];
        for (var s = 0; s < senders.Length; s++)
        {
            built[s] = new Prepared[perSender];
        }

        Parallel.For(0, senders.Length * perSender, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            var s = k % senders.Length;
            var prepared = Prepare(senders[s], RecipientsOf(senders[s].Agencies[0]));
            // Only the first few keep their package bytes (for the floor and the profile): the pool may be large.
            built[s][k / senders.Length] = k / senders.Length < SampleBytesPerSender ? prepared : prepared with { Package = [] };
        });
        return [.. built.Select(b => new Queue<Prepared>(b))];
    }

    private Prepared Prepare(DemoSystem system, IReadOnlyList<string> to)
    {
        var number = Interlocked.Increment(ref _number).ToString(Inv);
        var package = TestPackages.Sign(TestPackages.Document(system.Agencies[0], to, number: number, attachmentBytes: _options.AttachmentBytes), system.CertPem, system.KeyPem);
        return new Prepared(package, EdocHttp.SendDocumentEnvelope(package));
    }

    private IReadOnlyList<string> RecipientsOf(string from)
    {
        var agencies = DemoProvince.Agencies.Select(a => a.Code).ToList();
        var start = agencies.IndexOf(from);
        return [.. Enumerable.Range(1, _options.Recipients).Select(k => agencies[(start + k) % agencies.Count])];
    }
}
