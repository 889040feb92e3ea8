using Lgsp.Exchange.People;

namespace Lgsp.Exchange.Tests.People;

/// <summary>From the single sign-on's role claim to a console role.</summary>
public sealed class SsoRoleMapTests
{
    private static readonly SsoRoleMap Map = SsoRoleMap.Of(new Dictionary<string, string> { ["LGSP_KIEMTOAN"] = "auditor", ["vanthu"] = "agency" });

    [Fact]
    public void A_value_that_is_a_role_word_gives_that_role() =>
        Assert.Equal(ConsoleRole.Operator, SsoRoleMap.RoleWordsOnly.RoleOf(["operator"]));

    [Fact]
    public void A_mapped_value_gives_its_role_whatever_its_case() =>
        Assert.Equal(ConsoleRole.Auditor, Map.RoleOf(["lgsp_kiemtoan"]));

    [Fact]
    public void Values_that_map_to_nothing_give_no_role() =>
        Assert.Null(Map.RoleOf(["nhanvien", "LGSP_ADMIN_X"]));

    [Fact]
    public void Several_mapped_values_give_the_strongest_role() =>
        Assert.Equal(ConsoleRole.Auditor, Map.RoleOf(["vanthu", "LGSP_KIEMTOAN", "someone"]));

    [Fact]
    public void A_map_to_something_that_is_not_a_role_is_refused_naming_it()
    {
        var refused = Assert.Throws<ArgumentException>(() => SsoRoleMap.Of(new Dictionary<string, string> { ["X"] = "superuser" }));

        Assert.Contains("'X'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'superuser'", refused.Message, StringComparison.Ordinal);
    }
}
