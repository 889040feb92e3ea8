using System.Text.Json;
using System.Text.Json.Serialization;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Storage;

/// <summary>A hand-off down to a child hub (ADR 0020): acknowledged when that hub took it, confirmed below
/// once it reported its recipient's confirmation.</summary>
public sealed class DeliveryViewTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_acknowledged_hand_off_is_taken_by_the_hub_only_until_it_reports_the_recipients_confirmation()
    {
        var taken = View(DeliveryMode.Pull, "prov-b", DeliveryState.Acknowledged, null);
        var confirmed = taken with { FarConfirmedAt = At };

        Assert.Equal((true, false), (taken.TakenByHubOnly, taken.ConfirmedBelow));
        Assert.Equal((false, true), (confirmed.TakenByHubOnly, confirmed.ConfirmedBelow));
    }

    [Theory]
    [InlineData(DeliveryMode.Pull, null, DeliveryState.Acknowledged)]
    [InlineData(DeliveryMode.Push, "root", DeliveryState.Acknowledged)]
    [InlineData(DeliveryMode.Pull, "prov-b", DeliveryState.Pending)]
    [InlineData(DeliveryMode.Pull, "prov-b", DeliveryState.Failed)]
    public void Any_other_delivery_is_neither(DeliveryMode mode, string? via, DeliveryState state)
    {
        var view = View(mode, via, state, null);

        Assert.Equal((false, false), (view.TakenByHubOnly, view.ConfirmedBelow));
    }

    [Fact]
    public void Json_carries_when_it_was_confirmed_below_and_not_the_derived_flags()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

        var json = JsonSerializer.Serialize(View(DeliveryMode.Pull, "prov-b", DeliveryState.Acknowledged, At), options);

        Assert.Contains("\"farConfirmedAt\":\"2026-12-07T08:00:00+00:00\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("takenByHubOnly", json, StringComparison.Ordinal);
        Assert.DoesNotContain("confirmedBelow", json, StringComparison.Ordinal);
    }

    private static DeliveryView View(DeliveryMode mode, string? via, DeliveryState state, DateTimeOffset? farConfirmedAt) => new()
    {
        Id = 1, Recipient = "000.00.61.H56", Mode = mode, State = state, Attempts = 0, DocumentId = "D1", From = "000.00.00.H56", Via = via,
        FarConfirmedAt = farConfirmedAt,
    };
}
