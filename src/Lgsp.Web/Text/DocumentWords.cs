using Lgsp.Edxml.Model;
using Lgsp.Exchange.Documents;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;

namespace Lgsp.Web.Text;

/// <summary>The names the document screens give to delivery states, business statuses, business
/// types and timeline steps, in the reader's language.</summary>
public static class DocumentWords
{
    /// <summary>A delivery state's name.</summary>
    public static string State(this ConsoleText t, DeliveryState state) => state switch
    {
        DeliveryState.Pending => t["Chờ nhận", "Pending"],
        DeliveryState.Retrying => t["Đang gửi lại", "Retrying"],
        DeliveryState.Delivered => t["Đã lấy về", "Fetched"],
        DeliveryState.Acknowledged => t["Đã xác nhận", "Confirmed"],
        DeliveryState.Failed => t["Lỗi", "Failed"],
        _ => state.ToString(),
    };

    /// <summary>What an <c>acknowledged</c> hand-off down to a child hub stands for (ADR 0020): taken by
    /// that hub only, or confirmed at the recipient as the hub reported, and when; null for any other
    /// delivery, whose state says it all.</summary>
    public static string? HandOff(this ConsoleText t, DeliveryView delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.ConfirmedBelow)
        {
            var at = t.TimeToSecond(delivery.FarConfirmedAt);
            return t[$"Nơi nhận đã xác nhận, trục {delivery.Via} báo lên lúc {at}", $"Confirmed at the recipient, reported by hub {delivery.Via} at {at}"];
        }

        return delivery.TakenByHubOnly
            ? t[$"Trục {delivery.Via} đã nhận, nơi nhận chưa xác nhận", $"Taken by hub {delivery.Via}, not yet confirmed at the recipient"]
            : null;
    }

    /// <summary>A delivery's state as its badge names it: a hand-off taken by a child hub only is not
    /// called confirmed (<see cref="DeliveryView.TakenByHubOnly"/>).</summary>
    public static string State(this ConsoleText t, DeliveryView delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.TakenByHubOnly ? t["Trục dưới đã nhận", "Taken by the hub below"] : t.State(delivery.State);
    }

    /// <summary>The badge class of a delivery as it stands.</summary>
    public static string Badge(DeliveryView delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.TakenByHubOnly ? "info" : Badge(delivery.State);
    }

    /// <summary>The badge class of a delivery state.</summary>
    public static string Badge(DeliveryState state) => state switch
    {
        DeliveryState.Acknowledged or DeliveryState.Delivered => "ok",
        DeliveryState.Failed => "bad",
        DeliveryState.Retrying => "warn",
        _ => "info",
    };

    /// <summary>A business status's name, with its code (<c>03 · Đã tiếp nhận</c>).</summary>
    public static string Status(this ConsoleText t, string? code) => code + " · " + code switch
    {
        "01" => t["Đã đến", "Arrived"],
        "02" => t["Từ chối tiếp nhận", "Rejected"],
        "03" => t["Đã tiếp nhận", "Accepted"],
        "04" => t["Đã phân công", "Assigned"],
        "05" => t["Đang xử lý", "Processing"],
        "06" => t["Hoàn thành", "Finished"],
        "13" => t["Đề nghị lấy lại", "Take-back requested"],
        "15" => t["Đồng ý cập nhật/lấy lại", "Change accepted"],
        "16" => t["Từ chối cập nhật/lấy lại", "Change refused"],
        _ => t["Trạng thái khác", "Other status"],
    };

    /// <summary>A business operation's name.</summary>
    public static string Business(this ConsoleText t, BusinessDocType? type) => type switch
    {
        BusinessDocType.New => t["Văn bản mới", "New"],
        BusinessDocType.Revoke => t["Thu hồi", "Revocation"],
        BusinessDocType.Update => t["Cập nhật", "Update"],
        BusinessDocType.Replace => t["Thay thế", "Replacement"],
        _ => "",
    };

    /// <summary>A timeline step's name; with its <paramref name="delivery"/>, the confirmation of a hand-off
    /// down to a child hub reads as that hub taking it, which is not yet the recipient's confirmation.</summary>
    public static string Step(this ConsoleText t, TimelineStep step, DeliveryView? delivery = null) => step.Kind switch
    {
        LedgerKind.DeliveryAcknowledged when step.ReportedBy is null && delivery is { Mode: DeliveryMode.Pull, Via: { } via } =>
            t[$"Trục {via} đã nhận", $"Taken by hub {via}"],
        TimelineStep.Status => t["Trạng thái ", "Status "] + t.Status(step.StatusCode),
        LedgerKind.DeliveryCreated => t["Tạo chuyển phát", "Delivery created"],
        LedgerKind.DeliveryRedirected => t["Chuyển cho đơn vị kế thừa", "Redirected to the successor"],
        LedgerKind.DeliveryFetched => t["Đơn vị nhận đã lấy về", "Fetched by the recipient"],
        LedgerKind.AttemptStarted => t[$"Bắt đầu gửi lần {step.Attempt}", $"Push attempt {step.Attempt} started"],
        LedgerKind.AttemptSucceeded => t[$"Gửi lần {step.Attempt} thành công", $"Push attempt {step.Attempt} succeeded"],
        LedgerKind.AttemptFailed => t[$"Gửi lần {step.Attempt} lỗi", $"Push attempt {step.Attempt} failed"],
        LedgerKind.DeliveryProcessing => t["Đơn vị nhận đang xử lý", "Being processed by the recipient"],
        LedgerKind.DeliveryAcknowledged when step.ReportedBy is { } hub =>
            t[$"Đơn vị nhận xác nhận đã nhận, trục {hub} báo lên", $"Confirmed by the recipient, reported by hub {hub}"],
        LedgerKind.DeliveryAcknowledged => t["Đơn vị nhận xác nhận đã nhận", "Confirmed by the recipient"],
        LedgerKind.DeliveryFailed when step.ReportedBy is { } hub => t[$"Chuyển phát lỗi, trục {hub} báo lên", $"Delivery failed, reported by hub {hub}"],
        LedgerKind.DeliveryFailed => t["Chuyển phát lỗi", "Delivery failed"],
        LedgerKind.DeliveryReplayed => t["Gửi lại", "Replayed"],
        _ => step.Kind,
    };

    /// <summary>The timeline class of a step: ok, bad or none.</summary>
    public static string StepClass(TimelineStep step) => step.Kind switch
    {
        LedgerKind.AttemptFailed or LedgerKind.DeliveryFailed => "bad",
        LedgerKind.DeliveryAcknowledged or LedgerKind.AttemptSucceeded or LedgerKind.DeliveryFetched => "ok",
        TimelineStep.Status when step.StatusCode is "02" or "16" => "bad",
        TimelineStep.Status => "ok",
        _ => "",
    };
}
