using Lgsp.Server.Inbound.Auth;

namespace Lgsp.Server.Tests.Inbound.Auth;

/// <summary>What <c>Auth:Jwt</c> settings stop the hub's start, and what they allow.</summary>
public sealed class JwtOptionsTests
{
    [Fact]
    public void Nothing_configured_accepts_no_token_and_is_valid()
    {
        var options = new JwtOptions();

        options.Validate();

        Assert.False(options.Enabled);
    }

    [Fact]
    public void An_http_authority_stops_the_start_unless_https_is_not_required()
    {
        var strict = new JwtOptions { Authority = "http://127.0.0.1:5000/", Audience = "lgsp-hub" };
        var loose = new JwtOptions { Authority = "http://127.0.0.1:5000/", Audience = "lgsp-hub", RequireHttps = false };

        var refused = Assert.Throws<InvalidOperationException>(strict.Validate);
        loose.Validate();

        Assert.Contains("Auth:Jwt:Authority", refused.Message, StringComparison.Ordinal);
        Assert.Contains("https", refused.Message, StringComparison.Ordinal);
        Assert.True(loose.Enabled);
    }

    [Fact]
    public void A_key_set_url_needs_the_issuer()
    {
        var options = new JwtOptions { JwksUrl = "https://sso.example.vn/jwks", Audience = "lgsp-hub" };

        var refused = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("Auth:Jwt:Issuer", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provider_without_an_audience_stops_the_start()
    {
        var options = new JwtOptions { Authority = "https://sso.example.vn/", };

        var refused = Assert.Throws<InvalidOperationException>(options.Validate);

        Assert.Contains("Auth:Jwt:Audience", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_an_authority_and_a_key_set_url_stop_the_start()
    {
        var options = new JwtOptions { Authority = "https://sso.example.vn/", JwksUrl = "https://sso.example.vn/jwks", Issuer = "https://sso.example.vn/", Audience = "lgsp-hub" };

        Assert.Throws<InvalidOperationException>(options.Validate);
    }

    [Fact]
    public void Only_the_systems_named_have_the_admin_right()
    {
        var options = new JwtOptions { AdminSystems = ["qlvb-ubnd-tinh"] };

        Assert.True(options.IsAdminSystem("qlvb-ubnd-tinh"));
        Assert.False(options.IsAdminSystem("qlvb-hac-thanh"));
        Assert.False(options.IsAdminSystem("QLVB-UBND-TINH"));
    }
}
