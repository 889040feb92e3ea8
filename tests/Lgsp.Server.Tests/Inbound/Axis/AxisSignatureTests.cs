using System.Text;
using Lgsp.Server.Inbound.Axis;
using Lgsp.Server.Tests.Support;

namespace Lgsp.Server.Tests.Inbound.Axis;

/// <summary>The <c>XroadVnpt-*</c> HMAC scheme against VXP.md's worked example (§3.2) and the real SDK's
/// captured requests (Appendix B).</summary>
public class AxisSignatureTests
{
    private const string ReceiverSecret = "S3cret-B";
    private const string SenderSecret = "S3cret-A";

    private static KeyValuePair<string, string> P(string name, string value) => new(name, value);

    /// <summary>Header values as Kestrel hands them over with Latin-1 decoding: one char per wire byte.</summary>
    private static string AsReceived(string sentText) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(sentText));

    [Fact]
    public void The_worked_example_signs_to_the_documented_headers()
    {
        var parameters = new[] { P("systemid", "vxp.test.receiver"), P("timestamp", "23112026T085716+0882"), P("Content-Type", "application/json") };

        var signed = AxisSignature.Sign(ReceiverSecret, parameters);

        Assert.Equal("""{"XroadVnpt-systemid":"vxp.test.receiver","XroadVnpt-timestamp":"23112026T085716+0882","XroadVnpt-Content-Type":"application/json"}""", signed.SignHeader);
        Assert.Equal("systemid;timestamp;Content-Type", signed.SignHeaderKey);
        Assert.Equal("0e5e6e4ee105e71e2c9aa3325be4976891e09686cfe56eb412baefdd5902141d", signed.Hash);
    }

    [Fact]
    public void Signed_headers_come_in_the_SDK_wire_order_with_the_raw_content_type_before_its_prefixed_copy()
    {
        var signed = AxisSignature.Sign(ReceiverSecret, [P("systemid", "s"), P("Content-Type", "application/json"), P("status", "done")]);

        Assert.Equal(
            ["XroadVnpt-systemid", "Content-Type", "XroadVnpt-Content-Type", "XroadVnpt-status", "XroadVnpt-sign-header-key", "XroadVnpt-sign-header", "XroadVnpt-hash-header"],
            signed.Headers.Select(h => h.Key));
        Assert.Equal(signed.SignHeader, signed.Headers.Single(h => h.Key == AxisSignature.SignHeader).Value);
    }

    [Fact]
    public void The_sendEdoc_capture_with_a_to_array_signs_the_array_as_an_escaped_string()
    {
        var parameters = new[]
        {
            P("systemid", "vxp.test.sender"), P("servicetype", "eDoc"), P("messagetype", "edoc"),
            P("hash-file", "c0c5ffcc55803e20eea4c85933d2972dd7f425dca35ee2be3f1aa97394eca5"), P("from", "002.00.20.H13"),
            P("to", "[\"28.22.H17\"]"), P("timestamp", "23112026T085723+0193"), P("Content-Type", "application/octet-stream"),
        };

        var signed = AxisSignature.Sign(SenderSecret, parameters);

        Assert.Equal("""{"XroadVnpt-systemid":"vxp.test.sender","XroadVnpt-servicetype":"eDoc","XroadVnpt-messagetype":"edoc","XroadVnpt-hash-file":"c0c5ffcc55803e20eea4c85933d2972dd7f425dca35ee2be3f1aa97394eca5","XroadVnpt-from":"002.00.20.H13","XroadVnpt-to":"[\"28.22.H17\"]","XroadVnpt-timestamp":"23112026T085723+0193","XroadVnpt-Content-Type":"application/octet-stream"}""", signed.SignHeader);
        Assert.Equal("systemid;servicetype;messagetype;hash-file;from;to;timestamp;Content-Type", signed.SignHeaderKey);
        Assert.Equal("1f4f36eb662e7b88edb7b3a7bdc75d723085f4d2564727a2137216ddfd49a3b2", signed.Hash);
    }

    [Theory]
    [InlineData(SenderSecret, """{"XroadVnpt-systemid":"vxp.test.sender","XroadVnpt-timestamp":"23112026T085717+0575","XroadVnpt-Content-Type":"application/json"}""", "7721425e779565d304233b072c7913e84b2726fd8690f9b35bb10012056b81bd")]
    [InlineData(SenderSecret, """{"XroadVnpt-systemid":"vxp.test.sender","XroadVnpt-servicetype":"eDoc","XroadVnpt-messagetype":"edoc","XroadVnpt-hash-file":"c0c5ffcc55803e20eea4c85933d2972dd7f425dca35ee2be3f1aa97394eca5","XroadVnpt-from":"002.00.20.H13","XroadVnpt-timestamp":"23112026T085718+0219","XroadVnpt-Content-Type":"application/octet-stream"}""", "b868f077df2f4f013b62508cb1acc766661080b868b0d444e3f86cfb9d5f48d2")]
    [InlineData(ReceiverSecret, """{"XroadVnpt-systemid":"vxp.test.receiver","XroadVnpt-docId":"e75595bc-34ac-45ec-8454-859066f6be68","XroadVnpt-timestamp":"23112026T085720+0060","XroadVnpt-Content-Type":"application/json","XroadVnpt-status":"done"}""", "ca672abc74ac130d7f208ad79f07a6c2b5d18f001f88dfb740bde5ef88803c99")]
    [InlineData(SenderSecret, """{"XroadVnpt-systemid":"vxp.test.sender","XroadVnpt-docid":"25ab38f3-f52a-4a9a-b5c8-b04142806407","XroadVnpt-timestamp":"23112026T085729+0203","XroadVnpt-Content-Type":"application/json","XroadVnpt-status":"done"}""", "cb6473124a70574f8917f8ef4791461352d075d759c7f30a3f616dcfba4c982f")]
    [InlineData(ReceiverSecret, """{"XroadVnpt-systemid":"vxp.test.receiver","XroadVnpt-AgencyCode":"28.22.H17","XroadVnpt-timestamp":"23112026T085730+0490","XroadVnpt-Content-Type":"application/json"}""", "fc899b81832f5ff47f78e6b9bfcce79820cc3b5c57276e0e4c8cafcfc8ea94f4")]
    public void Captured_SDK_requests_verify_over_their_received_bytes(string secret, string signHeader, string hash)
    {
        Assert.True(AxisSignature.Verify(secret, AsReceived(signHeader), hash, out var signedText));
        Assert.Equal(signHeader, signedText);
        Assert.Equal(hash, AxisSignature.ComputeHash(secret, signHeader));
    }

    [Fact]
    public void A_captured_request_rebuilt_from_its_parameters_gives_the_captured_sign_header_and_hash()
    {
        const string captured = """{"XroadVnpt-systemid":"vxp.test.receiver","XroadVnpt-docId":"e75595bc-34ac-45ec-8454-859066f6be68","XroadVnpt-timestamp":"23112026T085720+0060","XroadVnpt-Content-Type":"application/json","XroadVnpt-status":"done"}""";

        var signed = AxisSignature.Sign(ReceiverSecret, AxisSignature.ParseSignedParameters(captured));

        Assert.Equal(captured, signed.SignHeader);
        Assert.Equal("ca672abc74ac130d7f208ad79f07a6c2b5d18f001f88dfb740bde5ef88803c99", signed.Hash);
    }

    [Fact]
    public void The_sign_header_escapes_as_Gson_does_without_HTML_escaping_and_keeps_non_ASCII_literal()
    {
        var json = AxisSignature.BuildSignHeader([P("a", "<b> & 'c'=d"), P("q", "say \"hi\" \\ now"), P("ctl", "t\tn\nr\rb\bf\f\u0001\u001f"), P("ls", "x\u2028y\u2029"), P("vi", "Hòa Sơn")]);

        Assert.Equal("{\"XroadVnpt-a\":\"<b> & 'c'=d\",\"XroadVnpt-q\":\"say \\\"hi\\\" \\\\ now\",\"XroadVnpt-ctl\":\"t\\tn\\nr\\rb\\bf\\f\\u0001\\u001f\",\"XroadVnpt-ls\":\"x\\u2028y\\u2029\",\"XroadVnpt-vi\":\"Hòa Sơn\"}", json);
    }

    [Fact]
    public void A_Vietnamese_value_sent_as_UTF_8_verifies_over_the_Latin_1_decoded_header()
    {
        var signed = AxisSignature.Sign(ReceiverSecret, [P("systemid", "vxp.test.receiver"), P("description", "Hòa Sơn")]);

        Assert.True(AxisSignature.Verify(ReceiverSecret, AsReceived(signed.SignHeader), signed.Hash, out var text));
        Assert.Equal(signed.SignHeader, text);
    }

    [Fact]
    public void A_Latin_1_value_sent_as_one_byte_per_char_verifies_through_the_fallback()
    {
        // An HttpClient with an explicit-port http endpoint writes the low byte of each char (VXP.md §2.4).
        var signed = AxisSignature.Sign(ReceiverSecret, [P("systemid", "vxp.test.receiver"), P("note", "café")]);

        Assert.True(AxisSignature.Verify(ReceiverSecret, signed.SignHeader, signed.Hash, out var text));
        Assert.Equal(signed.SignHeader, text);
    }

    [Fact]
    public void An_upper_case_hash_with_surrounding_spaces_verifies()
    {
        var signed = AxisSignature.Sign(ReceiverSecret, [P("systemid", "x")]);

        Assert.True(AxisSignature.Verify(ReceiverSecret, signed.SignHeader, " " + signed.Hash.ToUpperInvariant() + " ", out _));
    }

    [Theory]
    [InlineData("S3cret-A", "0e5e6e4ee105e71e2c9aa3325be4976891e09686cfe56eb412baefdd5902141d")]
    [InlineData(ReceiverSecret, "0e5e6e4ee105e71e2c9aa3325be4976891e09686cfe56eb412baefdd5902141e")]
    [InlineData(ReceiverSecret, "0e5e6e4ee105e71e2c9aa3325be4976891e09686cfe56eb412baefdd5902141")]
    [InlineData(ReceiverSecret, "not hex at all, not hex at all, not hex at all, not hex at all!!")]
    [InlineData(ReceiverSecret, "")]
    public void A_wrong_secret_or_a_wrong_or_malformed_hash_does_not_verify(string secret, string hash)
    {
        const string signHeader = """{"XroadVnpt-systemid":"vxp.test.receiver","XroadVnpt-timestamp":"23112026T085716+0882","XroadVnpt-Content-Type":"application/json"}""";

        Assert.False(AxisSignature.Verify(secret, signHeader, hash, out var text));
        Assert.Equal(string.Empty, text);
    }

    [Fact]
    public void A_sign_header_changed_by_one_byte_does_not_verify()
    {
        const string signHeader = """{"XroadVnpt-systemid":"vxp.test.receiver","XroadVnpt-timestamp":"23112026T085716+0882","XroadVnpt-Content-Type":"application/json"}""";

        Assert.False(AxisSignature.Verify(ReceiverSecret, signHeader.Replace("0882", "0883", StringComparison.Ordinal), "0e5e6e4ee105e71e2c9aa3325be4976891e09686cfe56eb412baefdd5902141d", out _));
    }

    [Fact]
    public void A_sign_header_with_chars_that_cannot_come_from_the_wire_does_not_verify()
    {
        var signed = AxisSignature.Sign(ReceiverSecret, [P("note", "Sơn")]);

        Assert.False(AxisSignature.Verify(ReceiverSecret, signed.SignHeader, signed.Hash, out _));
    }

    [Fact]
    public void Signed_parameters_keep_their_order_and_case_and_lose_the_prefix()
    {
        var parameters = AxisSignature.ParseSignedParameters("""{"XroadVnpt-systemid":"s","XroadVnpt-docId":"1","XroadVnpt-docid":"2","XroadVnpt-to":"[\"A\",\"B\"]","other":"x","XroadVnpt-n":5}""");

        Assert.Equal([P("systemid", "s"), P("docId", "1"), P("docid", "2"), P("to", "[\"A\",\"B\"]"), P("other", "x"), P("n", "5")], parameters);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{\"a\":")]
    public void A_sign_header_that_is_not_a_JSON_object_is_a_format_error(string text)
    {
        Assert.Throws<FormatException>(() => AxisSignature.ParseSignedParameters(text));
    }

    [Fact]
    public void Repeated_parameter_names_cannot_be_signed()
    {
        Assert.Throws<ArgumentException>(() => AxisSignature.BuildSignHeader([P("a", "1"), P("a", "2")]));
    }

    [Fact]
    public void The_hash_file_of_the_SDK_sample_is_unpadded_as_the_SDK_sends_it_or_padded_on_request()
    {
        var file = Repository.SdkSample("edoc_new.edxml");

        Assert.Equal("c0c5ffcc55803e20eea4c85933d2972dd7f425dca35ee2be3f1aa97394eca5", AxisSignature.FileHash(file, padded: false));
        Assert.Equal("c0c5ffcc55803e20eea4c85933d2972dd7f4250dca35ee2be3f1aa97394eca05", AxisSignature.FileHash(file, padded: true));
    }

    [Fact]
    public void The_timestamp_suffix_is_milliseconds_padded_to_four_digits()
    {
        var time = new DateTime(2026, 11, 23, 8, 51, 29, 86);

        Assert.Equal("23112026T085129+0086", AxisSignature.FormatTimestamp(time));
        Assert.True(AxisSignature.TryParseTimestamp("23112026T085129+0086", out var parsed));
        Assert.Equal(time, parsed);
    }

    [Theory]
    [InlineData("23112026T085129+07:00")]
    [InlineData("2026-11-23T08:51:29Z")]
    [InlineData("32112026T085129+0086")]
    [InlineData("23112026T085129+1000")]
    [InlineData("")]
    [InlineData(null)]
    public void A_timestamp_not_in_the_SDK_format_does_not_parse(string? text)
    {
        Assert.False(AxisSignature.TryParseTimestamp(text, out _));
    }
}
