using System.Text;

namespace Lgsp.Server.Tests.Inbound.Hostile;

// Hostile SOAP envelopes: refused before any package is read, so nothing reaches the ledger; the
// refusal is counted in lgsp_packages_refused_total and logged.
public sealed partial class HostileInputTests
{
    private const string Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";

    [Fact(Timeout = 60_000)]
    public async Task A_SOAP_envelope_with_an_external_entity_is_refused_as_DtdProhibited_and_nothing_is_recorded_but_the_count()
    {
        var hub = await HubAsync();
        var envelope = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + $"<s:Envelope xmlns:s=\"{Soap11}\"><s:Body><SendDocument xmlns=\"{EdocNs}\"><Package>&x;</Package></SendDocument></s:Body></s:Envelope>");
        await AssertRefusedAsync(hub, "DtdProhibited", ledger: false, () => PostSoapAsync(hub, envelope));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_SOAP_envelope_nested_100_000_deep_is_refused_as_TooDeep()
    {
        var hub = await HubAsync();
        var nested = string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000));
        var envelope = Encoding.UTF8.GetBytes($"<s:Envelope xmlns:s=\"{Soap11}\"><s:Header>{nested}</s:Header><s:Body/></s:Envelope>");
        await AssertRefusedAsync(hub, "TooDeep", ledger: false, () => PostSoapAsync(hub, envelope));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_SOAP_envelope_with_a_30_MB_attribute_is_refused_as_TooLarge()
    {
        var hub = await HubAsync();
        var envelope = Encoding.UTF8.GetBytes($"<s:Envelope xmlns:s=\"{Soap11}\"><s:Body><SendDocument xmlns=\"{EdocNs}\" x=\"{new string('A', 30_000_000)}\"><Package>AAAA</Package></SendDocument></s:Body></s:Envelope>");
        await AssertRefusedAsync(hub, "TooLarge", ledger: false, () => PostSoapAsync(hub, envelope));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_SOAP_envelope_with_bytes_that_are_not_UTF_8_is_refused_as_MalformedXml()
    {
        var hub = await HubAsync();
        var envelope = Encoding.UTF8.GetBytes($"<s:Envelope xmlns:s=\"{Soap11}\"><s:Body><SendDocument xmlns=\"{EdocNs}\"><Package>QUXXFB</Package></SendDocument></s:Body></s:Envelope>");
        var at = envelope.AsSpan().IndexOf("XX"u8);
        (envelope[at], envelope[at + 1]) = (0xC3, 0x28);
        await AssertRefusedAsync(hub, "MalformedXml", ledger: false, () => PostSoapAsync(hub, envelope));
    }

    private const string EdocNs = Lgsp.TestSupport.Hub.EdocHttp.Namespace;
}
