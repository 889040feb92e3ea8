using System.Text;
using Lgsp.Edxml.Model;

namespace Lgsp.Edxml.Tests.Support;

/// <summary>Packages with every field filled, for round trips and validation tests.</summary>
internal static class Packages
{
    public static Organization Org(string code, string name) => new(
        code, name, "UBND tỉnh Thanh Hóa", "Số 35 Đại lộ Lê Lợi, TP Thanh Hóa", "vanthu@thanhhoa.gov.vn", "0237 3852 345", "0237 3852 346", "thanhhoa.gov.vn");

    public static DocumentPackage FullDocument(BusinessDocType type = BusinessDocType.New, bool zip = false) => new()
    {
        From = Org("000.00.01.H56", "Sở Tài chính tỉnh Thanh Hóa"),
        To = [Org("000.00.00.H56", "UBND tỉnh Thanh Hóa"), Org("000.00.02.H56", "Sở Xây dựng tỉnh Thanh Hóa")],
        Code = new DocumentCode("123", "STC-NS"),
        PromulgationInfo = new PromulgationInfo("Thanh Hóa", EdxmlDate.From(new DateOnly(2026, 11, 20))),
        DocumentType = new DocumentType("2", "1", "Công văn"),
        Subject = "V/v triển khai kết nối liên thông văn bản điện tử",
        Content = "Đề nghị các đơn vị phối hợp thực hiện",
        SignerInfo = new SignerInfo("KT. GIÁM ĐỐC", "Phó Giám đốc", "Nguyễn Văn An"),
        DueDate = EdxmlDate.From(new DateOnly(2026, 12, 1)),
        ToPlaces = ["Như trên", "Lưu: VT, NS"],
        OtherInfo = new OtherInfo
        {
            Priority = 2,
            SphereOfPromulgation = "Liên thông văn bản tỉnh",
            TyperNotation = "NVA",
            PromulgationAmount = 3,
            PageAmount = 2,
            Direction = true,
            Appendixes = ["Phụ lục I", "Phụ lục II"],
        },
        ResponseFor = [new ResponseFor("000.00.00.H56", "45/UBND-KTTC", EdxmlDate.From(new DateOnly(2026, 11, 1)), "000.00.00.H56,2026/11/01,45/UBND-KTTC")],
        SteeringType = 1,
        DocumentId = "000.00.01.H56,2026/11/20,123/STC-NS",
        TraceHeaders = [new TraceHeader("000.00.01.H56", EdxmlTimestamp.From(new DateTime(2026, 11, 20, 8, 30, 0)))],
        Business = Business(type),
        ManifestVersion = "1.0",
        References = [new ManifestReference("cid:1", zip ? "application/zip" : "application/pdf", "Công văn 123", "cv123.pdf")],
        Attachments = [Attachment.FromBytes("cv123.pdf", Encoding.ASCII.GetBytes("%PDF-1.4\n% test body\n%%EOF\n"), "application/pdf", "cid:1", zip, "Công văn 123")],
    };

    public static Business Business(BusinessDocType type) => type switch
    {
        BusinessDocType.Update => new Business
        {
            BussinessDocType = type,
            BussinessDocTypeText = "2",
            BussinessDocReason = "Cập nhật văn bản",
            DocumentId = "000.00.01.H56,2026/11/19,120/STC-NS",
            Paper = 0,
            StaffInfo = Staff(),
            BussinessDocumentInfo = new BusinessDocumentInfo("1", "1", [new Receiver("000.00.00.H56", 0), new Receiver("000.00.02.H56", 1)]),
        },
        BusinessDocType.Replace => new Business
        {
            BussinessDocType = type,
            BussinessDocTypeText = "3",
            BussinessDocReason = "Văn bản thay thế",
            Paper = 1,
            StaffInfo = Staff(),
            ReplacementInfoList = [new ReplacementInfo("000.00.01.H56,2026/11/19,120/STC-NS", ["000.00.00.H56", "000.00.02.H56"])],
        },
        _ => new Business
        {
            BussinessDocType = type,
            BussinessDocTypeText = ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
            BussinessDocReason = type == BusinessDocType.Revoke ? "Thu hồi văn bản" : "Văn bản mới",
            DocumentId = type == BusinessDocType.Revoke ? "000.00.01.H56,2026/11/19,120/STC-NS" : null,
            Paper = 0,
            StaffInfo = Staff(),
        },
    };

    public static StaffInfo Staff() => new("Văn thư", "Lê Thị Bình", "0912000001", "binh@thanhhoa.gov.vn");

    public static StatusPackage Status(StatusCode code) => new()
    {
        From = Org("000.00.00.H56", "UBND tỉnh Thanh Hóa"),
        ResponseFor = new ResponseFor("000.00.01.H56", "123/STC-NS", EdxmlDate.From(new DateOnly(2026, 11, 20)), "000.00.01.H56,2026/11/20,123/STC-NS"),
        StaffInfo = Staff(),
        StatusCode = StatusCodes.ToText(code),
        Description = "Trạng thái " + StatusCodes.ToText(code),
        Timestamp = EdxmlTimestamp.From(new DateTime(2026, 11, 20, 9, 0, 0)),
    };
}
