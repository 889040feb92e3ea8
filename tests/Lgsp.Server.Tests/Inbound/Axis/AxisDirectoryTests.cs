using System.Text;
using Lgsp.Exchange.Errors;
using Lgsp.Server.Inbound.Axis;

namespace Lgsp.Server.Tests.Inbound.Axis;

/// <summary>What <c>registerAgency</c>'s body parser refuses, and how.</summary>
public class AxisDirectoryTests
{
    [Fact]
    public void A_registration_body_whose_strings_are_not_utf8_is_an_invalid_request()
    {
        // Found by the fuzz tests (docs/security.md, "Fuzzing"): the byte F2 alone inside a JSON string
        // passed the JSON parser and failed when the name was read, as an unexpected error.
        byte[] body = [.. "{\"code\":\"6\",\"name\":\""u8, 0xF2, .. "\"}"u8];

        var refused = Assert.Throws<ExchangeException>(() => AxisDirectory.ParseRegistration(body));

        Assert.Equal(HubErrorCode.InvalidRequest, refused.Error.Code);
        Assert.Equal("body", refused.Error.Field);
        Assert.Contains("not UTF-8", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registration_body_escaping_half_a_surrogate_pair_is_an_invalid_request()
    {
        var refused = Assert.Throws<ExchangeException>(() => AxisDirectory.ParseRegistration(Encoding.UTF8.GetBytes("{\"code\":\"\\ud800\",\"name\":\"x\"}")));

        Assert.Equal(HubErrorCode.InvalidRequest, refused.Error.Code);
        Assert.Equal("body", refused.Error.Field);
    }

    [Fact]
    public void A_registration_body_in_utf8_is_read()
    {
        var registration = AxisDirectory.ParseRegistration(Encoding.UTF8.GetBytes("{\"code\":\"000.01.01.H56\",\"name\":\"Phòng thử nghiệm\"}"));

        Assert.Equal("000.01.01.H56", registration.Code);
        Assert.Equal("Phòng thử nghiệm", registration.Name);
        Assert.Null(registration.ParentCode);
    }
}
