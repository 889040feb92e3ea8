using Lgsp.Web.Auth.Sso;

namespace Lgsp.Web.Tests.Auth;

/// <summary>The single sign-on's settings: off without an authority, and a setting that cannot work
/// stops the hub naming it.</summary>
public sealed class ConsoleSsoOptionsTests
{
    [Fact]
    public void Without_an_authority_single_sign_on_is_off_and_nothing_else_is_asked_for()
    {
        var options = new ConsoleSsoOptions();

        options.Validate();

        Assert.False(options.Enabled);
    }

    [Theory]
    [InlineData("http://sso.example/realms/tinh", true, "lgsp-console", "Console:Oidc:RequireHttps")]
    [InlineData("sso.example", true, "lgsp-console", "Console:Oidc:Authority")]
    [InlineData("https://sso.example/realms/tinh", true, "", "Console:Oidc:ClientId")]
    public void A_setting_that_cannot_work_is_refused_naming_it(string authority, bool requireHttps, string clientId, string named)
    {
        var options = new ConsoleSsoOptions { Authority = authority, RequireHttps = requireHttps, ClientId = clientId };

        Assert.Contains(named, Assert.Throws<InvalidOperationException>(options.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_map_to_something_that_is_not_a_role_is_refused_naming_the_value()
    {
        var options = new ConsoleSsoOptions
        {
            Authority = "https://sso.example/realms/tinh", ClientId = "lgsp-console",
            RoleMap = new Dictionary<string, string> { ["LGSP_QUANTRI"] = "superuser" },
        };

        var refused = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.StartsWith("Console:Oidc:RoleMap: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'LGSP_QUANTRI'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_provider_is_accepted_only_when_https_is_not_required()
    {
        var options = new ConsoleSsoOptions { Authority = "http://127.0.0.1:5000/", RequireHttps = false, ClientId = "lgsp-console" };

        options.Validate();

        Assert.True(options.Enabled);
    }

    [Fact]
    public void The_scopes_always_start_with_openid_once() =>
        Assert.Equal(["openid", "profile", "roles"], new ConsoleSsoOptions { Scopes = "profile  openid roles profile" }.ScopeList);
}
