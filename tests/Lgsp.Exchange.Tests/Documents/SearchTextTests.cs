using Lgsp.Exchange.Documents;

namespace Lgsp.Exchange.Tests.Documents;

public sealed class SearchTextTests
{
    [Theory]
    [InlineData("Báo cáo tình hình tài chính", "bao cao tinh hinh tai chinh")]
    [InlineData("ĐỀ NGHỊ ĐIỀU CHỈNH", "de nghi dieu chinh")]
    [InlineData("đường Đinh Tiên Hoàng", "duong dinh tien hoang")]
    [InlineData("Hạc Thành, Thanh Hóa", "hac thanh, thanh hoa")]
    [InlineData("Ủy ban nhân dân ỷ ỹ ỵ ữ ự", "uy ban nhan dan y y y u u")]
    public void Vietnamese_text_folds_without_accents_or_case(string text, string folded) =>
        Assert.Equal(folded, SearchText.Fold(text));

    [Fact]
    public void Decomposed_accents_fold_as_the_composed_ones_do()
    {
        var decomposed = "Báo cáo".Normalize(System.Text.NormalizationForm.FormD);

        Assert.NotEqual("Báo cáo", decomposed);
        Assert.Equal("bao cao", SearchText.Fold(decomposed));
    }

    [Theory]
    [InlineData("  V/v   báo\tcáo \n", "v/v bao cao")]
    [InlineData("   ", "")]
    [InlineData(null, "")]
    public void White_space_becomes_single_spaces_and_blank_folds_to_empty(string? text, string folded) =>
        Assert.Equal(folded, SearchText.Fold(text));

    [Theory]
    [InlineData("12", "UBND-VP", "12/ubnd-vp")]
    [InlineData("12", null, "12")]
    [InlineData(null, "QĐ-UBND", "qd-ubnd")]
    [InlineData(null, null, "")]
    public void Number_and_notation_fold_as_they_are_written_together(string? number, string? notation, string folded) =>
        Assert.Equal(folded, SearchText.FoldCode(number, notation));
}
