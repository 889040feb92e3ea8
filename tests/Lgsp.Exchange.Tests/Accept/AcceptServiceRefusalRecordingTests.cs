using Lgsp.Exchange.Errors;
using Microsoft.Extensions.Logging;
using static Lgsp.Exchange.Tests.Accept.AcceptHub;

namespace Lgsp.Exchange.Tests.Accept;

/// <summary>A refusal whose record cannot be written: the client still gets the refusal, and the
/// missing record is logged.</summary>
public sealed class AcceptServiceRefusalRecordingTests
{
    [Fact]
    public async Task A_refusal_the_store_cannot_record_is_still_answered_as_that_refusal_and_the_failure_is_logged()
    {
        var hub = await StartAsync();
        hub.Store.Unavailable = true;

        var error = await hub.RefusalAsync(FinanceSystem, SignedDocument(Construction, Commune));

        Assert.Equal((HubErrorCode.Forbidden, MessageHeader + "From/OrganId"), (error.Code, error.Field));
        Assert.Empty(hub.Store.Refusals);
        var logged = Assert.Single(hub.Log.Entries);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.IsType<TimeoutException>(logged.Exception);
        Assert.Contains(HubErrorCode.Forbidden, logged.Message);
        Assert.Contains(FinanceSystem.Id, logged.Message);
    }
}
