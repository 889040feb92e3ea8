using System.Text;
using Lgsp.Edxml.Errors;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Fuzzing;
using Xunit.Abstractions;
using static Lgsp.Server.Tests.Inbound.Soap.SoapSamples;

namespace Lgsp.Server.Tests.Inbound.Soap;

/// <summary>
/// Mutation fuzzing of the SOAP request reader, in process (docs/security.md, "Fuzzing"): every
/// operation's request in both envelope versions, and a SendDocument carrying a real package, with
/// their Content-Type and SOAPAction, damaged byte by byte, as XML and as base64.
/// </summary>
public sealed class SoapRequestReaderFuzzTests(ITestOutputHelper output)
{
    private static readonly FuzzBounds Bounds = new(TimeSpan.FromSeconds(10), BytesPerInputByte: 32, FixedBytes: 6L * 1024 * 1024);

    private static readonly HashSet<string> Documented = [.. SoapErrors.Codes, .. ErrorCatalog.Codes];

    [Fact]
    public void Mutated_requests_are_read_or_refused_with_a_catalogued_client_fault_within_bounds()
    {
        var report = FuzzCampaign.Run("SOAP reader", 0x5EED0002, Corpus(), new Mutator(ByteMutations.All, XmlMutations.All, Base64Mutations.All), Bounds, mutant =>
        {
            var (contentType, soapAction, body) = Split(mutant.Bytes);
            SoapRequest request;
            try
            {
                request = SoapRequestReader.ReadAsync(new MemoryStream(body, writable: false), contentType, soapAction, SoapLimits.Default).GetAwaiter().GetResult();
            }
            catch (SoapFaultException fault)
            {
                Assert.True(fault.IsClientFault, "the reader raises client faults only");
                Assert.Contains(fault.Error.Code, Documented);
                Assert.False(string.IsNullOrWhiteSpace(fault.Error.Field) || string.IsNullOrWhiteSpace(fault.Error.Message) || string.IsNullOrWhiteSpace(fault.Error.MessageVi), "a fault names its field and says why in both languages");
                return fault.Error.Code;
            }

            // What the reader returns, the typed getters read without failing (SoapRequest's promise).
            Assert.Contains(request.Operation, EdocContract.Operations);
            _ = request.GetInt64("Id");
            _ = request.GetInt32("MaxCount");
            _ = request.GetDateTime("ChangedSince");
            return FuzzCampaign.Accepted;
        });

        output.WriteLine(report.ToString());
        Assert.True(report.Outcomes.ContainsKey(FuzzCampaign.Accepted), "some mutants (damage the reader tolerates) are still read");
    }

    /// <summary>Each request as the fuzzer carries it: the Content-Type line, the SOAPAction line, then the body,
    /// so that the headers are damaged too.</summary>
    private static List<byte[]> Corpus()
    {
        var package = Convert.ToBase64String(Repository.SdkSample("status_inbox_01.edxml"), Base64FormattingOptions.InsertLineBreaks);
        var bodies = OperationSamples.Append(new(EdocContract.SendDocument, $"<SendDocument xmlns=\"{Ns}\"><Package>{package}</Package></SendDocument>"));
        var corpus = new List<byte[]>();
        foreach (var version in new[] { SoapVersion.Soap11, SoapVersion.Soap12 })
        {
            foreach (var (operation, body) in bodies)
            {
                var action = EdocContract.ActionOf(operation);
                var header = operation == EdocContract.GetTrace ? "<t:Trace xmlns:t=\"urn:test\" s:mustUnderstand=\"0\">x</t:Trace>" : null;
                var soapAction = version == SoapVersion.Soap11 ? $"\"{action}\"" : "";
                corpus.Add([.. Encoding.ASCII.GetBytes($"{ContentType(version, action)}\n{soapAction}\n"), .. Envelope(version, body, header)]);
            }
        }

        return corpus;
    }

    private static (string? ContentType, string? SoapAction, byte[] Body) Split(byte[] input)
    {
        var first = Array.IndexOf(input, (byte)'\n');
        var second = first < 0 ? -1 : Array.IndexOf(input, (byte)'\n', first + 1);
        if (second < 0)
        {
            return (null, null, input);
        }

        var soapAction = Encoding.Latin1.GetString(input, first + 1, second - first - 1);
        return (Encoding.Latin1.GetString(input, 0, first), soapAction.Length == 0 ? null : soapAction, input[(second + 1)..]);
    }
}
