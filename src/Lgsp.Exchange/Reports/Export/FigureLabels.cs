using Lgsp.Exchange.Reports.Rollups;

namespace Lgsp.Exchange.Reports.Export;

/// <summary>The Vietnamese headings of the figures and breakdowns, as the exports and the console show them.</summary>
public static class FigureLabels
{
    private static readonly Dictionary<Figure, string> Vietnamese = new()
    {
        [Figure.Sent] = "Văn bản gửi",
        [Figure.SentInternal] = "Gửi nội bộ",
        [Figure.SentExternal] = "Gửi ra ngoài",
        [Figure.SentElectronicOnly] = "Gửi chỉ bản điện tử",
        [Figure.SentWithPaper] = "Gửi kèm bản giấy",
        [Figure.EnvelopeOrganization] = "Gói tin ký số cơ quan",
        [Figure.EnvelopePersonal] = "Gói tin ký số cá nhân",
        [Figure.EnvelopeUnknown] = "Gói tin ký số chưa phân loại",
        [Figure.EnvelopeUnsigned] = "Gói tin không ký số",
        [Figure.PdfAttachments] = "Tệp PDF đính kèm",
        [Figure.PdfOrganization] = "PDF có chữ ký số cơ quan",
        [Figure.PdfPersonal] = "PDF có chữ ký số cá nhân",
        [Figure.PdfUnsigned] = "PDF không ký số",
        [Figure.PdfBroken] = "PDF chữ ký không toàn vẹn",
        [Figure.PdfUnreadable] = "PDF không đọc được",
        [Figure.DocumentsWithPdf] = "Văn bản có PDF",
        [Figure.DocumentsPdfOrganization] = "Văn bản có PDF ký số cơ quan",
        [Figure.DocumentsPdfPersonal] = "Văn bản có PDF ký số cá nhân",
        [Figure.DocumentsPdfUnsigned] = "Văn bản có PDF không ký số",
        [Figure.DocumentsPdfBroken] = "Văn bản có PDF chữ ký không toàn vẹn",
        [Figure.DocumentsPdfUnreadable] = "Văn bản có PDF không đọc được",
        [Figure.SentDated] = "Văn bản có ngày ban hành",
        [Figure.SentLate] = "Gửi muộn",
        [Figure.UrgentDated] = "Văn bản khẩn",
        [Figure.UrgentLate] = "Văn bản khẩn gửi muộn",
        [Figure.Received] = "Văn bản nhận",
        [Figure.ReceivedInternal] = "Nhận nội bộ",
        [Figure.ReceivedExternal] = "Nhận từ bên ngoài",
        [Figure.ReceivedElectronicOnly] = "Nhận chỉ bản điện tử",
        [Figure.ReceivedWithPaper] = "Nhận kèm bản giấy",
        [Figure.AcknowledgedSameDay] = "Xác nhận trong ngày làm việc",
        [Figure.ReceivedDue] = "Đến hạn nhận",
        [Figure.ReceivedOnTime] = "Nhận điện tử đúng hạn",
        [Figure.NotReceived] = "Không nhận điện tử",
        [Figure.Refused] = "Từ chối, trả lại (02)",
        [Figure.TakeBackRequested] = "Đề nghị thu hồi (13)",
        [Figure.ChangeAccepted] = "Đồng ý cập nhật, thu hồi (15)",
        [Figure.ChangeRejected] = "Từ chối cập nhật, thu hồi (16)",
        [Figure.FailedDeliveries] = "Chuyển phát lỗi",
        [Figure.PickedUp] = "Đã lấy hoặc xác nhận",
        [Figure.PickedUpSeconds] = "Tổng thời gian đến khi lấy (giây)",
        [Figure.PickedUpWorkingSeconds] = "Tổng thời gian làm việc đến khi lấy (giây)",
        [Figure.Arrived] = "Đã đến (01)",
        [Figure.ArrivedSeconds] = "Tổng thời gian đến 01 (giây)",
        [Figure.ArrivedWorkingSeconds] = "Tổng thời gian làm việc đến 01 (giây)",
        [Figure.RefusedSeconds] = "Tổng thời gian đến 02 (giây)",
        [Figure.RefusedWorkingSeconds] = "Tổng thời gian làm việc đến 02 (giây)",
        [Figure.Accepted] = "Đã tiếp nhận (03)",
        [Figure.AcceptedSeconds] = "Tổng thời gian đến 03 (giây)",
        [Figure.AcceptedWorkingSeconds] = "Tổng thời gian làm việc đến 03 (giây)",
        [Figure.Finished] = "Đã hoàn thành (06)",
        [Figure.FinishedSeconds] = "Tổng thời gian đến 06 (giây)",
        [Figure.FinishedWorkingSeconds] = "Tổng thời gian làm việc đến 06 (giây)",
    };

    private static readonly Dictionary<string, string> MeasureWords = new(StringComparer.Ordinal)
    {
        ["pickedUp"] = "khi lấy hoặc xác nhận",
        ["arrived"] = "01 (đã đến)",
        ["refused"] = "02 (từ chối)",
        ["accepted"] = "03 (tiếp nhận)",
        ["finished"] = "06 (hoàn thành)",
    };

    /// <summary>The heading of a time measure's mean in hours: "TB giờ đến 03 (tiếp nhận)".</summary>
    public static string MeanHours(TimeMeasure measure)
    {
        ArgumentNullException.ThrowIfNull(measure);
        return "TB giờ đến " + MeasureWords[measure.Name];
    }

    /// <summary>The heading of a time measure's mean in working hours.</summary>
    public static string MeanWorkingHours(TimeMeasure measure)
    {
        ArgumentNullException.ThrowIfNull(measure);
        return "TB giờ làm việc đến " + MeasureWords[measure.Name];
    }

    /// <summary>A figure's Vietnamese heading.</summary>
    public static string Of(Figure figure) => Vietnamese[figure];

    /// <summary>The heading of a breakdown's key column.</summary>
    public static string KeyHeading(ReportBreakdown by) => by switch
    {
        ReportBreakdown.Agency => "Mã định danh",
        ReportBreakdown.Tier => "Cấp",
        ReportBreakdown.Day => "Ngày",
        _ => "Tháng",
    };

    /// <summary>A breakdown's sheet name.</summary>
    public static string SheetName(ReportBreakdown by) => by switch
    {
        ReportBreakdown.Agency => "Theo đơn vị",
        ReportBreakdown.Tier => "Theo cấp",
        ReportBreakdown.Day => "Theo ngày",
        _ => "Theo tháng",
    };

    /// <summary>The heading of the name column.</summary>
    public const string NameHeading = "Tên đơn vị";
}
