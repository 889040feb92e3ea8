using Lgsp.Exchange.Storage;
using Lgsp.Web.Pages;

namespace Lgsp.Web.Tests.Pages;

/// <summary>How the deliveries screen reads its filters and the ids its forms carry.</summary>
public sealed class DeliveryQueryTests
{
    [Fact]
    public void Failure_times_are_read_as_the_province_s_local_time_and_given_to_the_store_in_utc()
    {
        var query = DeliveryQuery.From(name => name switch { "since" => "2026-12-07T08:30", "before" => "2026-12-07T17:00", "state" => "failed", _ => null });

        var filter = query.Filter();

        Assert.Equal(new DateTimeOffset(2026, 12, 7, 1, 30, 0, TimeSpan.Zero), filter.FailedSince);
        Assert.Equal(TimeSpan.Zero, filter.FailedSince!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero), filter.FailedBefore);
        Assert.Equal(DeliveryState.Failed, filter.State);
    }

    [Fact]
    public void A_state_that_is_not_a_word_of_the_list_selects_every_state()
    {
        Assert.Null(DeliveryQuery.From(name => name == "state" ? "4" : null).StateValue);
        Assert.Null(DeliveryQuery.From(name => name == "state" ? "lost" : null).StateValue);
    }

    [Fact]
    public void Ids_are_read_from_boxes_and_comma_lists_once_each_and_anything_else_is_dropped()
    {
        Assert.Equal([12L, 15, 18, 3], DeliveryQuery.Ids(["12,15", " 18 ", "x", "-4", "12", "3"]));
    }

    [Fact]
    public void The_replay_filter_keeps_the_list_s_conditions_and_narrows_to_the_ids_given()
    {
        var query = DeliveryQuery.From(name => name switch { "recipient" => " 000.00.61.H56 ", "error" => "CONFIRM-FAIL", "hub" => "", _ => null });

        var filter = query.ReplayFilter([7, 9]);

        Assert.Equal("000.00.61.H56", filter.Recipient);
        Assert.Equal("confirm-fail", filter.ErrorCode);
        Assert.Null(filter.Hub);
        Assert.Equal([7L, 9], filter.DeliveryIds);
        Assert.Equal(DeliveryState.Failed, filter.Selection.State);
    }
}
