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

    /// <summary>A timeline step's name.</summary>
    public static string Step(this ConsoleText t, TimelineStep step) => step.Kind switch
    {
        TimelineStep.Status => t["Trạng thái ", "Status "] + t.Status(step.StatusCode),
        LedgerKind.DeliveryCreated => t["Tạo chuyển phát", "Delivery created"],
        LedgerKind.DeliveryRedirected => t["Chuyển cho đơn vị kế thừa", "Redirected to the successor"],
        LedgerKind.DeliveryFetched => t["Đơn vị nhận đã lấy về", "Fetched by the recipient"],
        LedgerKind.AttemptStarted => t[$"Bắt đầu gửi lần {step.Attempt}", $"Push attempt {step.Attempt} started"],
        LedgerKind.AttemptSucceeded => t[$"Gửi lần {step.Attempt} thành công", $"Push attempt {step.Attempt} succeeded"],
        LedgerKind.AttemptFailed => t[$"Gửi lần {step.Attempt} lỗi", $"Push attempt {step.Attempt} failed"],
        LedgerKind.DeliveryProcessing => t["Đơn vị nhận đang xử lý", "Being processed by the recipient"],
        LedgerKind.DeliveryAcknowledged => t["Đơn vị nhận xác nhận đã nhận", "Confirmed by the recipient"],
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
