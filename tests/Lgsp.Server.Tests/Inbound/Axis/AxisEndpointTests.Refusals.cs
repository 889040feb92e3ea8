using System.Text;
using Lgsp.Server.Tests.Support;
using static Lgsp.Server.Tests.Inbound.Axis.AxisHub;

namespace Lgsp.Server.Tests.Inbound.Axis;

// Parameters and hop metadata refused before anything is stored.
public sealed partial class AxisEndpointTests
{
    [Theory]
    [InlineData("-1")]
    [InlineData("12ab")]
    [InlineData("99999999999999999999999")]
    public async Task getCountersignatures_refuses_an_afterSeq_that_is_not_a_whole_number(string afterSeq)
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var caller = hub.Sdk(Commune);

        var refused = await caller.CallAsync(HttpMethod.Post, "getCountersignatures", $$"""{"afterSeq":"{{afterSeq}}"}""", [], "application/json");

        Assert.Equal(("FAIL", "InvalidRequest", "afterSeq"), (refused.Status, refused.ErrorCode, Field(refused)));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"lgsp-body-sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}""")]
    public async Task reportOutcomes_refuses_a_body_that_is_not_the_one_its_signed_hash_names(string parameters)
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var caller = hub.Sdk(Commune);

        // The body is not under the MAC: without its signed SHA-256 (here none, or the empty body's) it is not read.
        var refused = await caller.CallAsync(HttpMethod.Post, "reportOutcomes", parameters,
            Encoding.UTF8.GetBytes("""{"outcomes":[{"docId":"1","outcome":"confirmed"}]}"""));

        Assert.Equal(("FAIL", "InvalidRequest", "lgsp-body-sha256"), (refused.Status, refused.ErrorCode, Field(refused)));
    }

    [Fact]
    public async Task A_malformed_previous_receipt_hash_is_refused_naming_lgsp_prev_receipt()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);

        var bad = await sender.SendEdocAsync(Send(Commune, extra: """
            "lgsp-hops":"lgsp-central","lgsp-prev-receipt":"not-a-hash"
            """), hub.SignedDocument(Commune, [Finance]));

        Assert.Equal(("FAIL", "InvalidRequest", "lgsp-prev-receipt"), (bad.Status, bad.ErrorCode, Field(bad)));
    }

    [Fact]
    public async Task Hop_metadata_from_an_agency_system_is_refused_and_nothing_is_stored()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        using var another = hub.Sdk(Commune); // the SDK's headers stick from one call to the next

        var hops = await sender.SendEdocAsync(Send(Commune, extra: """
            "lgsp-hops":"lgsp-central"
            """), hub.SignedDocument(Commune, [Finance]));
        var receipt = await another.SendEdocAsync(Send(Commune, extra: $$"""
            "lgsp-prev-receipt":"{{new string('a', 64)}}"
            """), hub.SignedDocument(Commune, [Finance]));

        Assert.Equal(("FAIL", "InvalidRequest", "lgsp-hops"), (hops.Status, hops.ErrorCode, Field(hops)));
        Assert.Equal(("FAIL", "InvalidRequest", "lgsp-prev-receipt"), (receipt.Status, receipt.ErrorCode, Field(receipt)));
        Assert.Equal(0L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.package"));
    }
}
