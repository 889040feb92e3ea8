using System.IO.Pipelines;
using System.Security.Cryptography;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Soap;

namespace Lgsp.Server.Tests.Inbound.Soap;

/// <summary>GetDocument's answer, streamed a chunk at a time from the package, is byte for byte the
/// answer the one-pass writer gives with the whole package in memory (what the hub served before).</summary>
public sealed class SoapResponseWriterStreamingTests
{
    public static TheoryData<SoapVersion, int> Cases()
    {
        var cases = new TheoryData<SoapVersion, int>();
        foreach (var version in new[] { SoapVersion.Soap11, SoapVersion.Soap12 })
        {
            // One byte; either side of a chunk; several chunks with each remainder of 3.
            foreach (var size in new[] { 1, PackageBody.Base64ChunkBytes - 1, PackageBody.Base64ChunkBytes, PackageBody.Base64ChunkBytes + 1, 3 * PackageBody.Base64ChunkBytes + 2, 200_001 })
            {
                cases.Add(version, size);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_streamed_GetDocument_answer_is_byte_for_byte_the_one_pass_answer(SoapVersion version, int size)
    {
        var package = RandomNumberGenerator.GetBytes(size);
        using var onePass = new MemoryStream();
        SoapResponseWriter.WriteResponse(onePass, version, EdocContract.GetDocument, w =>
        {
            w.WriteStartElement("Package", EdocContract.Namespace);
            w.WriteBase64(package, 0, package.Length);
            w.WriteEndElement();
        });

        using var streamed = new MemoryStream();
        var output = PipeWriter.Create(streamed, new StreamPipeWriterOptions(leaveOpen: true));
        await using (var body = PackageBody.Of(package))
        {
            await SoapResponseWriter.WriteBase64ResponseAsync(output, version, EdocContract.GetDocument, "Package", body, CancellationToken.None);
        }

        await output.CompleteAsync();
        Assert.Equal(onePass.ToArray(), streamed.ToArray());
    }
}
