using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Lgsp.Server.Demo;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;

namespace Lgsp.Server.Tests.Support;

/// <summary>One send of a burst: what was sent and what the sender saw.</summary>
public sealed class SendRecord(int sender, DemoSystem system, string from, IReadOnlyList<string> to, string documentId, byte[] package)
{
    /// <summary>The sender loop that made it.</summary>
    public int Sender { get; } = sender;

    /// <summary>The client system that sent it.</summary>
    public DemoSystem System { get; } = system;

    /// <summary>The sender agency.</summary>
    public string From { get; } = from;

    /// <summary>The recipients it names.</summary>
    public IReadOnlyList<string> To { get; } = to;

    /// <summary>Its DocumentId.</summary>
    public string DocumentId { get; } = documentId;

    /// <summary>The exact bytes sent.</summary>
    public byte[] Package { get; } = package;

    /// <summary>The package's SHA-256, hex.</summary>
    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(package));

    /// <summary>The success answer, when there was one.</summary>
    public SendAnswer? Answer { get; private set; }

    /// <summary>Why it failed, when it did.</summary>
    public string? Failure { get; private set; }

    /// <summary>When the answer or failure came, from the start of the burst.</summary>
    public TimeSpan EndedAt { get; private set; }

    /// <summary>True when the sender got a success answer.</summary>
    public bool Succeeded => Answer is not null;

    internal void Succeed(SendAnswer answer, TimeSpan at) => (Answer, EndedAt) = (answer, at);

    internal void Fail(string failure, TimeSpan at) => (Failure, EndedAt) = (failure, at);
}

/// <summary>Concurrent senders, each sending distinct signed documents (small ones) to several agencies
/// in a loop until stopped, recording every send and its outcome.</summary>
public sealed class SendBurst : IAsyncDisposable
{
    private readonly ConcurrentQueue<SendRecord> _records = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = new();
    private readonly List<HttpClient> _clients = [];
    private Task? _running;
    private int _number;
    private int _successes;

    /// <summary>Every send made so far.</summary>
    public IReadOnlyCollection<SendRecord> Records => _records;

    /// <summary>Success answers so far.</summary>
    public int Successes => Volatile.Read(ref _successes);

    /// <summary>Time since the burst started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Starts <paramref name="senders"/> loops against <paramref name="soapUri"/>; sender
    /// <c>i</c> acts for the demo system <c>i mod n</c> and addresses each document to the agencies
    /// <paramref name="recipientsOf"/> names for its own.</summary>
    public void Start(Uri soapUri, DemoSetup demo, int senders, Func<string, IReadOnlyList<string>> recipientsOf)
    {
        _clock.Start();
        _running = Task.WhenAll(Enumerable.Range(0, senders).Select(i =>
        {
            var system = demo.Systems[i % demo.Systems.Count];
            var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            _clients.Add(http);
            return Task.Run(() => SendLoopAsync(i, soapUri, system, recipientsOf(system.Agencies[0]), http));
        }));
    }

    /// <summary>Waits until the burst has run <paramref name="atLeast"/> and got
    /// <paramref name="successes"/> success answers; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan atLeast, int successes, TimeSpan timeout)
    {
        while (Elapsed < atLeast || Successes < successes)
        {
            if (Elapsed > timeout)
            {
                throw new TimeoutException($"After {Elapsed.TotalSeconds:0.0} s the burst had {Successes} success answers of {_records.Count} sends; wanted {successes}."
                    + Environment.NewLine + string.Join(Environment.NewLine, _records.Where(r => r.Failure is not null).Take(5).Select(r => r.Failure)));
            }

            if (_running is { IsFaulted: true })
            {
                await _running;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops the loops (a send in flight finishes or fails first).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running;
        }
    }

    /// <summary>Stops the loops and releases the clients.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _stop.Dispose();
    }

    private async Task SendLoopAsync(int sender, Uri soapUri, DemoSystem system, IReadOnlyList<string> to, HttpClient http)
    {
        var from = system.Agencies[0];
        while (!_stop.IsCancellationRequested)
        {
            var number = Interlocked.Increment(ref _number).ToString(CultureInfo.InvariantCulture);
            var package = TestPackages.Sign(TestPackages.Document(from, to, number: number), system.CertPem, system.KeyPem);
            var record = new SendRecord(sender, system, from, to, Hub.ExchangeFlowTests.ReadDocumentId(package), package);
            _records.Enqueue(record);
            try
            {
                // Deliberately no cancellation: a send in flight ends by its answer or by the crash.
                var answer = await EdocHttp.SendDocumentAsync(http, soapUri, system.Id, system.Secret, EdocHttp.SendDocumentEnvelope(package));
                record.Succeed(answer, Elapsed);
                Interlocked.Increment(ref _successes);
            }
            catch (Exception ex) when (ex is HttpRequestException or EdocAnswerException or TaskCanceledException or IOException or System.Xml.XmlException)
            {
                record.Fail($"{ex.GetType().Name}: {ex.Message}", Elapsed);
                await Task.Delay(100); // a dead hub refuses at once; do not spin
            }
        }
    }
}
