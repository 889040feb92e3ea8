using Lgsp.Exchange.Errors;
using Lgsp.Server.Inbound.Axis;

namespace Lgsp.Server.Tests.Inbound.Axis;

/// <summary>Signed parameters that escape half a surrogate pair are refused as bad input, not failures
/// (found by the axis fuzz campaign, docs/security.md, "Fuzzing").</summary>
public class AxisParametersTests
{
    [Theory]
    [InlineData("[\"\\ud800\"]")]
    [InlineData("\"\\udfff\"")]
    public void A_to_escaping_half_a_surrogate_pair_is_an_invalid_request(string to)
    {
        var refused = Assert.Throws<ExchangeException>(() => AxisParameters.Recipients(to));

        Assert.Equal(HubErrorCode.InvalidRequest, refused.Error.Code);
        Assert.Equal("to", refused.Error.Field);
    }

    [Theory]
    [InlineData("{\"XroadVnpt-systemid\":\"\\ud800\"}")]
    [InlineData("{\"XroadVnpt-\\ud800\":\"x\"}")]
    public void A_sign_header_escaping_half_a_surrogate_pair_is_not_a_parameter_set(string signedText)
    {
        Assert.Throws<FormatException>(() => AxisSignature.ParseSignedParameters(signedText));
    }
}
