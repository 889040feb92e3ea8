using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Auth;
using Lgsp.Server.Inbound.Axis;
using Lgsp.Server.Inbound.Limits;
using Lgsp.Server.Observability;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Fuzzing;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace Lgsp.Server.Tests.Inbound.Axis;

/// <summary>
/// Mutation fuzzing of what the axis protocol parses from a caller, in process (docs/security.md,
/// "Fuzzing"): the <c>XroadVnpt-*</c> headers through <see cref="AxisAuthenticator"/> (MAC check, signed
/// JSON), then every signed parameter's parser (<see cref="AxisParameters"/>, <c>from</c>, <c>level</c>,
/// the timestamp) and <c>registerAgency</c>'s JSON body, over requests shaped as the SDK sends them.
/// </summary>
public sealed class AxisParsingFuzzTests(ITestOutputHelper output)
{
    private const string SystemId = "vxp.fuzz.sender";
    private const string Secret = "S3cret-fuzz";

    private static readonly FuzzBounds Bounds = new(TimeSpan.FromSeconds(10), BytesPerInputByte: 48, FixedBytes: 2L * 1024 * 1024);

    [Fact]
    public void Mutated_requests_authenticate_only_with_the_right_mac_and_their_parameters_parse_or_are_refused_with_catalogued_codes()
    {
        var box = new SecretBox(RandomNumberGenerator.GetBytes(SecretBox.KeyBytes));
        var system = new ClientSystem(SystemId, PackagePolicy.Strict, new HashSet<string> { "000.00.01.H56" });
        var directory = OneSystemDirectory.Create(new ClientSystemRecord(system, "unused", Active: true) { SealedSecret = box.Seal(Secret) });
        // A throttle that never holds the fuzzer off: wrong MACs are most of the mutants, and a locked-out
        // caller would keep the parameter parsers from being reached.
        var throttle = new LoginThrottle(new LoginLimit { FailuresPerId = int.MaxValue, FailuresPerAddress = int.MaxValue }, TimeProvider.System);
        var metrics = new HubMetrics(new IdleStore(), new IdleQueue(), TimeProvider.System);
        var authenticator = new AxisAuthenticator(directory, box, new ClientCallLog(directory, TimeProvider.System), TimeProvider.System, throttle, metrics);
        var documented = new HashSet<string>([.. AxisErrors.Codes, .. HubErrors.Codes, .. Lgsp.Edxml.Errors.ErrorCatalog.Codes]);

        var report = FuzzCampaign.Run("axis parameters and headers", 0x5EED0003, Corpus(), new Mutator(ByteMutations.All, AxisMutations.All(Secret)), Bounds, mutant =>
        {
            var request = AxisWireRequest.Parse(mutant.Bytes);
            var headers = new HeaderDictionary();
            foreach (var (name, value) in request.Headers)
            {
                headers[name] = headers.TryGetValue(name, out var values) ? Microsoft.Extensions.Primitives.StringValues.Concat(values, value) : value;
            }

            AxisCaller caller;
            try
            {
                caller = authenticator.AuthenticateAsync(headers, System.Net.IPAddress.Loopback).GetAwaiter().GetResult();
            }
            catch (AxisAuthException refused)
            {
                Assert.Contains(refused.Error.Code, documented);
                return "401 " + refused.Error.Code;
            }

            // The hub's MAC check, against the fuzz tests' own: the hash-header is the HMAC of the
            // sign-header's wire bytes (or of its UTF-8, the SDK's Latin-1 fallback), for the claimed system.
            var signHeader = request.Get(AxisWireRequest.SignHeader)!;
            var hash = request.Get(AxisWireRequest.HashHeader)!.Trim();
            Assert.True(
                string.Equals(hash, AxisWireRequest.Mac(Secret, Encoding.Latin1.GetBytes(signHeader)), StringComparison.OrdinalIgnoreCase)
                || string.Equals(hash, AxisWireRequest.Mac(Secret, Encoding.UTF8.GetBytes(signHeader)), StringComparison.OrdinalIgnoreCase),
                "authenticated without the MAC of the sign-header");
            Assert.Equal(SystemId, request.Get("XroadVnpt-systemid"));
            Assert.Equal(SystemId, caller.Get(AxisSignature.SystemIdParameter));

            var refusals = new List<string>();
            void Parse(Action parse)
            {
                try
                {
                    parse();
                }
                catch (ExchangeException refused)
                {
                    Assert.Contains(refused.Error.Code, documented);
                    Assert.False(string.IsNullOrWhiteSpace(refused.Error.Field) || string.IsNullOrWhiteSpace(refused.Error.MessageVi), "a refusal names its field and says why in Vietnamese");
                    refusals.Add(refused.Error.Code);
                }
            }

            Parse(() => AxisParameters.MessageKind(caller.Get("messagetype"), PackageKind.Document));
            Parse(() => AxisParameters.MessageKind(caller.Get("messagetype")));
            Parse(() => AxisParameters.Recipients(caller.Get("to")));
            Parse(() => AxisParameters.Hops(caller.Get("lgsp-hops")));
            Parse(() => AxisParameters.PreviousReceipt(caller.Get("lgsp-prev-receipt")));
            Parse(() => AgencyMandate.CheckClaimedSender(caller.System, caller.Get("from"), "from"));
            Parse(() => AxisDirectory.TiersOfLevel(caller.Get("level")));
            Parse(() => AxisDirectory.ParseRegistration(request.Body));
            Parse(() => AxisSignature.TryParseTimestamp(caller.Get(AxisSignature.TimestampParameter), out _));
            using var file = PackageSpool.FromBytes(request.Body);
            if (caller.Get("hash-file") is { Length: > 0 } hashFile && AxisParameters.MatchHashFile(file, hashFile))
            {
                Assert.True(file.Length == request.Body.Length || file.Length == request.Body.Length - 2, "the matched file is the body, or the body without its CRLF");
            }

            return refusals.Count == 0 ? FuzzCampaign.Accepted : "refused " + refusals[0];
        });

        output.WriteLine(report.ToString());
        Assert.True(report.Outcomes.ContainsKey(FuzzCampaign.Accepted), "some mutants authenticate and parse");
    }

    /// <summary>Requests as the SDK signs them: sendEdoc (with the hop extensions), updateStatus,
    /// registerAgency, getAgenciesListQD20, getReceivedEdocList.</summary>
    private static List<byte[]> Corpus()
    {
        var package = Repository.SdkSample("status_inbox_01.edxml");
        var registration = Encoding.UTF8.GetBytes("{\"code\":\"000.01.01.H56\",\"name\":\"Phòng thử nghiệm\",\"pcode\":\"000.00.01.H56\",\"mail\":\"vanthu@example.gov.vn\"}");
        var timestamp = AxisSignature.FormatTimestamp(new DateTime(2026, 11, 23, 8, 57, 16, 882));
        KeyValuePair<string, string>[] Common(string contentType) => [new("systemid", SystemId), new("timestamp", timestamp), new("Content-Type", contentType)];
        var requests = new (KeyValuePair<string, string>[] Parameters, byte[] Body)[]
        {
            ([.. Common("application/octet-stream"), new("servicetype", "eDoc"), new("messagetype", "status"), new("hash-file", AxisSignature.FileHash(package, padded: false)),
                new("from", "000.00.01.H56"), new("to", "[\"000.00.00.H56\"]")], [.. package, (byte)'\r', (byte)'\n']),
            ([.. Common("application/octet-stream"), new("messagetype", "edoc"), new("hash-file", AxisSignature.FileHash(package, padded: true)), new("to", "000.00.00.H56,000.00.02.H56"),
                new("lgsp-hops", "hub-a,hub-b"), new("lgsp-prev-receipt", new string('a', 64))], package),
            ([.. Common("application/json"), new("docId", "42"), new("status", "fail"), new("reason", "Không đọc được tệp")], Encoding.UTF8.GetBytes("{}")),
            ([.. Common("application/json")], registration),
            ([.. Common("application/json"), new("level", "2")], []),
            ([.. Common("application/json"), new("messagetype", "status")], []),
        };
        return requests.Select(r => new AxisWireRequest(AxisSignature.Sign(Secret, r.Parameters).Headers.Select(h => new KeyValuePair<string, string>(h.Key, Latin1(h.Value))).ToList(), r.Body).ToBytes()).ToList();
    }

    /// <summary>A header value as the server decodes it: each UTF-8 byte as one char.</summary>
    private static string Latin1(string sent) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(sent));

    /// <summary>A directory that knows one client system and records calls; anything else is not expected here.</summary>
    public class OneSystemDirectory : DispatchProxy
    {
        private ClientSystemRecord? _record;

        public static IDirectoryStore Create(ClientSystemRecord record)
        {
            var proxy = Create<IDirectoryStore, OneSystemDirectory>();
            ((OneSystemDirectory)(object)proxy)._record = record;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            nameof(IDirectoryStore.FindClientSystemAsync) => Task.FromResult(args![0] as string == _record!.System.Id ? _record : null),
            nameof(IDirectoryStore.RecordClientCallAsync) => Task.CompletedTask,
            _ => throw new NotSupportedException(targetMethod?.Name),
        };
    }

    // The metrics' scrape-time sources; the campaign never scrapes.
    private sealed class IdleStore : IStoreMonitor
    {
        public Task<StoreFigures> ReadFiguresAsync(CancellationToken ct = default) => Task.FromResult(new StoreFigures(new Dictionary<DeliveryState, long>(), 0, null));

        public Task<Exception?> ProbeAsync(CancellationToken ct = default) => Task.FromResult<Exception?>(null);
    }

    private sealed class IdleQueue : Lgsp.Server.Observability.IJobQueueMonitor
    {
        public Lgsp.Server.Observability.JobQueueFigures ReadFigures() => new(0, 0, 0);

        public int CountServers() => 0;
    }
}
