using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Delivery;

/// <summary>What a hub tells the hub that forwarded a package about its delivery, and what that hub
/// records of it, tier after tier.</summary>
public sealed class FarOutcomeTests
{
    [Theory]
    [InlineData(DeliveryState.Failed, DeliveryMode.Pull, null, FarOutcome.Failed)]
    [InlineData(DeliveryState.Failed, DeliveryMode.Pull, "prov-b", FarOutcome.Failed)]
    [InlineData(DeliveryState.Acknowledged, DeliveryMode.Pull, null, FarOutcome.Confirmed)]
    [InlineData(DeliveryState.Acknowledged, DeliveryMode.Push, null, FarOutcome.Confirmed)]
    [InlineData(DeliveryState.Acknowledged, DeliveryMode.Push, "root", FarOutcome.Confirmed)]
    [InlineData(DeliveryState.Acknowledged, DeliveryMode.Pull, "prov-b", null)]
    [InlineData(DeliveryState.Delivered, DeliveryMode.Push, "root", null)]
    [InlineData(DeliveryState.Pending, DeliveryMode.Pull, null, null)]
    [InlineData(DeliveryState.Retrying, DeliveryMode.Push, null, null)]
    public void A_delivery_is_final_for_the_forwarding_hub_when_failed_or_confirmed_by_its_recipient_not_when_a_child_hub_took_it(
        DeliveryState state, DeliveryMode mode, string? via, string? expected) =>
        Assert.Equal(expected, FarOutcome.Of(state, mode, via));

    [Theory]
    [InlineData(DeliveryState.Acknowledged, true, FarOutcome.Confirmed)]
    [InlineData(DeliveryState.Acknowledged, false, null)]
    [InlineData(DeliveryState.Failed, false, FarOutcome.Failed)]
    public void A_hand_off_down_to_a_child_hub_is_confirmed_once_the_child_reported_its_recipient_confirmed_it(
        DeliveryState state, bool confirmedBelow, string? expected) =>
        Assert.Equal(expected, FarOutcome.Of(state, DeliveryMode.Pull, "prov-b", confirmedBelow));

    [Theory]
    [InlineData("timeout", "no answer", "timeout")]
    [InlineData(null, "unknown-recipient: no route: X is not in the directory", "unknown-recipient")]
    [InlineData(null, "loop-detected: no route: prov-a is in the hops", "loop-detected")]
    [InlineData(null, "refused by the recipient's system", "failed")]
    public void The_code_told_on_is_the_stored_code_else_the_no_route_word(string? code, string text, string expected) =>
        Assert.Equal(expected, FarOutcome.CodeOf(code, text));

    [Fact]
    public void Carried_back_over_two_tiers_the_failure_keeps_the_far_hubs_code_and_text_and_names_it_once()
    {
        const string rootText = "unknown-recipient: no route: X is not in the directory and this hub has no parent hub";

        // The province hears it from the root, the district from the province.
        var provinceCode = FarOutcome.Code(FarOutcome.CodeOf(null, rootText));
        var provinceText = FarOutcome.Reason("root", FarOutcome.CodeOf(null, rootText), rootText);
        var districtCode = FarOutcome.Code(provinceCode);
        var districtText = FarOutcome.Reason("prov-a", provinceCode, SenderView.Error(provinceCode, provinceText));

        Assert.Equal("far:unknown-recipient", provinceCode);
        Assert.Equal("far:unknown-recipient", districtCode);
        Assert.Equal("failed at hub root: " + rootText, provinceText);
        Assert.Equal(provinceText, districtText);
    }

    [Fact]
    public void A_far_failure_is_shown_to_the_sender_as_stored_since_the_far_hub_already_left_out_any_endpoint() =>
        Assert.Equal("failed at hub root: timeout: the receiving end did not answer in time",
            SenderView.Error("far:timeout", "failed at hub root: timeout: the receiving end did not answer in time"));
}
