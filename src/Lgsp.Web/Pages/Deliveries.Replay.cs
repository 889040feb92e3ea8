using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.People;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Lgsp.Web.Pages;

// Bulk replay from the deliveries screen. Both steps need the Replay right (the page itself only
// ReadAll): an auditor's forged post is refused 403. The replay runs in the request and answers with
// its summary: each delivery is one short transaction, so even thousands finish in seconds.
public sealed partial class DeliveriesModel
{
    /// <summary>The dry run: the rows picked (<paramref name="scope"/> <c>selected</c>) or every failed
    /// delivery matching the filters (<c>all</c>), each with what a replay would do and where it would
    /// go. Changes nothing.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(string? scope, string[]? ids, CancellationToken ct)
    {
        if (!Can(ConsoleRight.Replay))
        {
            return Forbid();
        }

        Query = DeliveryQuery.From(name => Request.Form[name]);
        var picked = DeliveryQuery.Ids(ids);
        if (scope != "all" && picked.Count == 0)
        {
            Refusal = text["Chọn ít nhất một chuyển phát, hoặc chọn \"tất cả chuyển phát lỗi khớp bộ lọc\".",
                "Pick at least one delivery, or choose \"all failed deliveries matching the filters\"."];
            await LoadAsync(null, ct);
            return Page();
        }

        DryRun = await replay.PreviewAsync(Query.ReplayFilter(scope == "all" ? null : picked), ct);
        await LoadAsync(null, ct);
        return Page();
    }

    /// <summary>Replays exactly the deliveries the dry run showed (<paramref name="ids"/>, within the
    /// same filters), with the reason given, as the signed-in user; answers with the summary. A blank
    /// reason is refused and the dry run shown again.</summary>
    public async Task<IActionResult> OnPostReplayAsync(string? ids, string? reason, CancellationToken ct)
    {
        if (!Can(ConsoleRight.Replay))
        {
            return Forbid();
        }

        Query = DeliveryQuery.From(name => Request.Form[name]);
        Reason = reason;
        var chosen = DeliveryQuery.Ids([ids]);
        if (chosen.Count == 0)
        {
            Refusal = text["Không có chuyển phát nào để gửi lại.", "There is nothing to replay."];
            await LoadAsync(null, ct);
            return Page();
        }

        var filter = Query.ReplayFilter(chosen);
        ReplayRequest request;
        try
        {
            request = ReplayRequest.Failed(filter, Actor, reason ?? "");
        }
        catch (ExchangeException ex) when (ex.Error.Field == "reason")
        {
            log.LogWarning("Console replay refused for {Actor}: {Code} {Field}: {Message}", Actor, ex.Error.Code, ex.Error.Field, ex.Error.Message);
            Refusal = text["Cần nhập lý do gửi lại: lý do được ghi vào sổ cái cùng người gửi lại.",
                "A replay needs a reason: it is recorded in the ledger with who replayed what."];
            DryRun = await replay.PreviewAsync(filter, ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(null, ct);
            return Page();
        }

        Summary = await replay.RunAsync(request, ct: ct);
        log.LogInformation("{Actor} replayed {Replayed} deliveries ({Skipped} skipped) from the console because: {Reason}",
            request.Actor, Summary.Replayed, Summary.Skipped, request.Reason);
        await LoadAsync(null, ct);
        return Page();
    }
}
