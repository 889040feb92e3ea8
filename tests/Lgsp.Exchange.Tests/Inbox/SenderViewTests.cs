using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Inbox;

/// <summary>What a sender is shown of a failure: the code and a sentence without the endpoint.</summary>
public sealed class SenderViewTests
{
    [Theory]
    [InlineData("http-404", "HTTP 404 Not Found from http://u:p@q.example/in?token=t", "the receiving end answered HTTP 404")]
    [InlineData("timeout", "http://q.example/in: timed out (gave up after 3 attempts)", "the receiving end did not answer in time (gave up after 3 attempts)")]
    [InlineData("network", "hub hub-national: Name or service not known (q.example:443)", "the receiving end could not be reached")]
    [InlineData("unexpected", "boom at http://q.example", "the push failed; the hub's operator has the details")]
    [InlineData(null, "http://q.example/in: Connection refused (q.example:80)", "the push failed; the hub's operator has the details")]
    public void A_failure_from_talking_to_an_endpoint_becomes_the_sentence_of_its_code(string? code, string stored, string shown) =>
        Assert.Equal(shown, SenderView.Error(code, stored));

    [Theory]
    [InlineData("confirm-fail", "tệp đính kèm hỏng")]
    [InlineData("no-endpoint", "000.00.03.H56 no longer has a push endpoint; it has to be replayed as a pull")]
    [InlineData("peer-refused:SignatureInvalid", "hub hub-national refused: SignatureInvalid Signature: the signature does not verify")]
    [InlineData(null, "unknown-recipient: no route: 000.00.99.H56 is not in the directory and this hub has no parent hub")]
    public void A_failure_the_hub_or_the_recipient_wrote_without_an_endpoint_is_shown_as_stored(string? code, string stored) =>
        Assert.Equal(stored, SenderView.Error(code, stored));

    [Fact]
    public void A_trace_entry_loses_its_endpoint_in_error_reason_previous_error_and_an_old_peer()
    {
        var failed = SenderView.Of(Event("""{"recipient": "R", "reason": "http://q.example/in: timed out", "errorCode": "timeout"}"""));
        var attempt = SenderView.Of(Event("""{"recipient": "R", "attempt": 2, "error": "HTTP 503 Service Unavailable from http://q.example/in", "errorCode": "http-503"}"""));
        var replayed = SenderView.Of(Event("""{"recipient": "R", "reason": "peer back", "previousError": "http://q.example/in: timed out", "previousErrorCode": "timeout"}"""));
        var started = SenderView.Of(Event("""{"recipient": "R", "attempt": 1, "peer": "https://u:p@q.example/in"}"""));

        Assert.Equal("""{"recipient":"R","reason":"the receiving end did not answer in time","errorCode":"timeout"}""", failed.Detail);
        Assert.Equal("""{"recipient":"R","attempt":2,"error":"the receiving end answered HTTP 503","errorCode":"http-503"}""", attempt.Detail);
        Assert.Equal("""{"recipient":"R","reason":"peer back","previousError":"the receiving end did not answer in time","previousErrorCode":"timeout"}""", replayed.Detail);
        Assert.Equal("""{"recipient":"R","attempt":1,"peer":"agency:R"}""", started.Detail);
    }

    [Fact]
    public void An_entry_with_nothing_to_hide_keeps_its_exact_text()
    {
        const string Detail = """{"code": "unknown-recipient", "reason": "no route: tệp", "recipient": "R"}""";
        Assert.Equal(Detail, SenderView.Of(Event(Detail)).Detail);
        Assert.Equal("""{"peer": "hub:hub-national"}""", SenderView.Of(Event("""{"peer": "hub:hub-national"}""")).Detail);
    }

    private static TraceEvent Event(string detail) => new(1, DateTimeOffset.UnixEpoch, "attempt.failed", "hub", detail) { Recipient = "R" };
}
