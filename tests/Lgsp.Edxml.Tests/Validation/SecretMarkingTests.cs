using System.Text;
using Lgsp.Edxml.Validation;

namespace Lgsp.Edxml.Tests.Validation;

public class SecretMarkingTests
{
    private const string Mat = SecretMarking.Mat;
    private const string ToiMat = SecretMarking.ToiMat;
    private const string TuyetMat = SecretMarking.TuyetMat;

    [Theory]
    [InlineData("MẬT", Mat)]
    [InlineData("mật", Mat)]
    [InlineData("Mật", Mat)]
    [InlineData("Tối mật", ToiMat)]
    [InlineData("TỐI MẬT", ToiMat)]
    [InlineData("tuyệt mật", TuyetMat)]
    [InlineData("TUYỆT MẬT", TuyetMat)]
    [InlineData("[MẬT]", Mat)]
    [InlineData("(Tối mật)", ToiMat)]
    [InlineData("\"Tuyệt Mật\".", TuyetMat)]
    [InlineData("«MẬT»", Mat)]
    [InlineData("Độ mật: Tuyệt mật", TuyetMat)]
    [InlineData("ĐỘ MẬT: MẬT", Mat)]
    [InlineData("Độ mật - Tối mật", ToiMat)]
    [InlineData("  Tối \t  mật \r\n", ToiMat)]
    [InlineData("Tối\u00A0mật", ToiMat)]
    [InlineData("MAT", Mat)]
    [InlineData("toi mat", ToiMat)]
    [InlineData("Tuyet Mat", TuyetMat)]
    [InlineData("Do mat: Toi mat", ToiMat)]
    [InlineData("Mật, Hỏa tốc", Mat)]
    [InlineData("Thượng khẩn; TỐI MẬT", ToiMat)]
    [InlineData("M\u200BẬT", Mat)]
    public void Marking_fields_holding_a_classification_are_secret(string value, string marking)
    {
        Assert.Equal(marking, SecretMarking.FindMarking(value, SecretFieldKind.Marking));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Liên thông văn bản quốc gia")]
    [InlineData("Thường")]
    [InlineData("Độ mật")]
    [InlineData("Độ mật: Thường")]
    [InlineData("Bảo mật")]
    [InlineData("Bí mật")]
    [InlineData("Mật độ")]
    [InlineData("Mật khẩu")]
    [InlineData("Mắt")]
    [InlineData("MẶT")]
    [InlineData("mất")]
    [InlineData("Mát")]
    [InlineData("Tối mắt")]
    [InlineData("Tuyệt mặt")]
    [InlineData("Không mật")]
    [InlineData("Hạn chế phổ biến")]
    public void Marking_fields_holding_anything_else_are_not_secret(string? value)
    {
        Assert.Null(SecretMarking.FindMarking(value, SecretFieldKind.Marking));
    }

    [Theory]
    [InlineData("Kế hoạch phòng thủ dân sự (MẬT)", Mat)]
    [InlineData("Báo cáo tình hình an ninh [Mật]", Mat)]
    [InlineData("Về việc triển khai kế hoạch \"MẬT\" năm 2025", Mat)]
    [InlineData("Công văn ( mật ) về nhân sự", Mat)]
    [InlineData("Văn bản tối mật về quốc phòng", ToiMat)]
    [InlineData("TUYỆT MẬT - Kế hoạch tác chiến", TuyetMat)]
    [InlineData("Kế hoạch tác chiến (Tuyệt mật)", TuyetMat)]
    [InlineData("Báo cáo TỐI MẬT, độ khẩn: Hỏa tốc", ToiMat)]
    [InlineData("Kế hoạch MẬT về công tác cán bộ", Mat)]
    [InlineData("MẬT - Về việc điều động lực lượng", Mat)]
    [InlineData("Độ mật: Mật. Về việc tổ chức hội nghị", Mat)]
    [InlineData("V/V KẾ HOẠCH TỐI MẬT NĂM 2025", ToiMat)]
    [InlineData("V/V KẾ HOẠCH (MẬT) NĂM 2025", Mat)]
    [InlineData("Mật", Mat)]
    [InlineData("Ke hoach MAT ve nhan su", Mat)]
    [InlineData("Bao cao tuyet mat ve an ninh", TuyetMat)]
    [InlineData("Cong van (mat) so 12", Mat)]
    [InlineData("Kế hoạch (M\u200BẬT) về nhân sự", Mat)]
    [InlineData("Văn bản tối\u00A0 mật", ToiMat)]
    public void Free_text_carrying_a_marking_is_secret(string value, string marking)
    {
        Assert.Equal(marking, SecretMarking.FindMarking(value, SecretFieldKind.Text));
    }

    [Theory]
    [InlineData("Hướng dẫn bảo mật thông tin trong cơ quan nhà nước")]
    [InlineData("Về việc giữ bí mật nhà nước")]
    [InlineData("Đổi mật khẩu hệ thống quản lý văn bản")]
    [InlineData("Quản lý mật mã dân sự")]
    [InlineData("Báo cáo mật độ dân số năm 2024")]
    [InlineData("Quan hệ mật thiết giữa hai đơn vị")]
    [InlineData("Hỗ trợ nông dân nuôi ong lấy mật ong")]
    [InlineData("V/V TĂNG CƯỜNG BẢO MẬT THÔNG TIN")]
    [InlineData("THÔNG BÁO MẬT ĐỘ GIAO THÔNG DỊP TẾT")]
    [InlineData("CÔNG VĂN MẬT VỀ VIỆC TỔ CHỨC HỘI NGHỊ")]
    [InlineData("Hướng dẫn BẢO MẬT hệ thống thư điện tử")]
    [InlineData("Kiểm tra MẬT ĐỘ xây dựng khu đô thị")]
    [InlineData("Buổi tối mật độ giao thông tăng cao")]
    [InlineData("Khám mắt cho học sinh tiểu học")]
    [InlineData("Mặt trận Tổ quốc Việt Nam tỉnh Thanh Hóa")]
    [InlineData("Mất điện khu vực phường Đông Sơn")]
    [InlineData("Thời tiết mát mẻ, thuận lợi cho sản xuất")]
    [InlineData("Kiểm tra (mắt) định kỳ")]
    [InlineData("Tối mặt vì công việc")]
    [InlineData("Độ mật: Thường")]
    [InlineData("Tài liệu mật gửi kèm")]
    [InlineData("Ke hoach bao mat thong tin")]
    [InlineData("Thong bao MAT DIEN khu vuc 3")]
    [InlineData("Thay MAT Chu tich UBND tinh")]
    [InlineData("Ra mat san pham moi")]
    [InlineData("Giai phong MAT BANG du an")]
    [InlineData("V/v kết nối, liên thông phần mềm quản lý văn bản")]
    public void Free_text_without_a_marking_is_not_secret(string value)
    {
        Assert.Null(SecretMarking.FindMarking(value, SecretFieldKind.Text));
    }

    [Theory]
    [InlineData("Kế hoạch phòng thủ (TỐI MẬT)", SecretFieldKind.Text, ToiMat)]
    [InlineData("Tuyệt mật", SecretFieldKind.Marking, TuyetMat)]
    [InlineData("Báo cáo [MẬT] về nhân sự", SecretFieldKind.Text, Mat)]
    [InlineData("Hướng dẫn bảo mật", SecretFieldKind.Text, null)]
    [InlineData("Khám mắt", SecretFieldKind.Text, null)]
    public void Decomposed_input_is_read_like_composed_input(string value, SecretFieldKind kind, string? marking)
    {
        var decomposed = value.Normalize(NormalizationForm.FormD);
        Assert.NotEqual(value, decomposed);

        Assert.Equal(marking, SecretMarking.FindMarking(decomposed, kind));
    }

    [Fact]
    public void A_text_with_diacritics_is_compared_with_them_so_look_alikes_never_match()
    {
        // "MAT" in capitals is a marking in ASCII-only text, but here the producer typed Vietnamese.
        Assert.Equal(Mat, SecretMarking.FindMarking("Ke hoach MAT", SecretFieldKind.Text));
        Assert.Null(SecretMarking.FindMarking("Kế hoạch MAT", SecretFieldKind.Text));
        Assert.Null(SecretMarking.FindMarking("Kế hoạch MẮT", SecretFieldKind.Text));
        Assert.Null(SecretMarking.FindMarking("Kế hoạch (mặt)", SecretFieldKind.Text));
    }

    [Fact]
    public void A_marking_field_is_judged_on_its_whole_value_not_on_words_inside_it()
    {
        Assert.Null(SecretMarking.FindMarking("Phạm vi (MẬT) nội bộ", SecretFieldKind.Marking));
        Assert.Equal(Mat, SecretMarking.FindMarking("Phạm vi (MẬT) nội bộ", SecretFieldKind.Text));
    }
}
