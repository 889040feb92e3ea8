using System.Security.Cryptography;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Axis;
using Microsoft.AspNetCore.Http;

namespace Lgsp.Server.Tests.Inbound.Axis;

/// <summary>The axis answers that carry a package, streamed from it, are byte for byte (and length for
/// length) the answers built whole in memory that the hub served before.</summary>
public sealed class AxisAnswerTests
{
    public static TheoryData<int> Sizes => new() { 1, 2, PackageBody.Base64ChunkBytes - 1, PackageBody.Base64ChunkBytes, PackageBody.Base64ChunkBytes + 1, 200_002 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task A_streamed_getEdoc_answer_is_byte_for_byte_the_whole_answer_with_its_content_length(int size)
    {
        var package = RandomNumberGenerator.GetBytes(size);
        var receipt = RandomNumberGenerator.GetBytes(700);
        var whole = AxisResponse.Ok(w =>
        {
            w.WriteBase64String("data", package);
            w.WriteBase64String("Receipt", receipt);
            w.WriteString("Hops", "hub-c,hub-a");
        });

        var response = await WrittenAsync(AxisAnswer.OkWithBase64("data", PackageBody.Of(package), w =>
        {
            w.WriteBase64String("Receipt", receipt);
            w.WriteString("Hops", "hub-c,hub-a");
        }));

        Assert.Equal((StatusCodes.Status200OK, AxisResponse.ContentType, (long?)whole.Length), (response.StatusCode, response.ContentType, response.ContentLength));
        Assert.Equal(whole, ((MemoryStream)response.Body).ToArray());
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task A_streamed_downloadEdoc_answer_is_the_package_with_its_content_length(int size)
    {
        var package = RandomNumberGenerator.GetBytes(size);

        var response = await WrittenAsync(AxisAnswer.Package(PackageBody.Of(package)));

        Assert.Equal((StatusCodes.Status200OK, "application/xml", (long?)size), (response.StatusCode, response.ContentType, response.ContentLength));
        Assert.Equal(package, ((MemoryStream)response.Body).ToArray());
    }

    private static async Task<HttpResponse> WrittenAsync(AxisAnswer answer)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await answer.WriteAsync(context.Response, CancellationToken.None);
        return context.Response;
    }
}
