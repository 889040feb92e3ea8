using System.Net;
using System.Net.Sockets;

namespace Lgsp.Server.Tests.Inbound.Hostile;

// Hostile packages, through SOAP SendDocument and axis sendEdoc: the package was there to refuse, so the
// ledger has one package.refused entry.
public sealed partial class HostileInputTests
{
    [Theory(Timeout = 60_000)]
    [InlineData("soap")]
    [InlineData("axis")]
    public async Task A_package_with_an_external_entity_naming_a_file_is_refused_as_DtdProhibited(string door)
    {
        var hub = await HubAsync();
        await AssertRefusedAsync(hub, "DtdProhibited", ledger: true, () => SendPackageAsync(hub, door, HostileInputs.XxeFile()));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("soap")]
    [InlineData("axis")]
    public async Task A_package_with_an_external_entity_naming_a_URL_is_refused_as_DtdProhibited_and_the_URL_is_never_called(string door)
    {
        var hub = await HubAsync();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/evil.dtd");
            await AssertRefusedAsync(hub, "DtdProhibited", ledger: true, () => SendPackageAsync(hub, door, HostileInputs.XxeNetwork(url)));
            Assert.False(listener.Pending(), "The hub called the URL the entity names.");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Theory(Timeout = 60_000)]
    [InlineData("soap")]
    [InlineData("axis")]
    public async Task A_package_with_entity_expansion_is_refused_as_DtdProhibited(string door)
    {
        var hub = await HubAsync();
        await AssertRefusedAsync(hub, "DtdProhibited", ledger: true, () => SendPackageAsync(hub, door, HostileInputs.EntityExpansion()));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("soap")]
    [InlineData("axis")]
    public async Task A_package_nested_100_000_deep_is_refused_as_TooDeep(string door)
    {
        var hub = await HubAsync();
        await AssertRefusedAsync(hub, "TooDeep", ledger: true, () => SendPackageAsync(hub, door, HostileInputs.DeepNesting()));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_package_with_a_30_MB_attribute_is_refused_as_TooLarge_at_the_axis_door()
    {
        var hub = await HubAsync();
        await AssertRefusedAsync(hub, "TooLarge", ledger: true, () => SendPackageAsync(hub, "axis", HostileInputs.HugeAttribute()));
    }

    [Theory(Timeout = 90_000)]
    [InlineData("soap")]
    [InlineData("axis")]
    public async Task A_package_whose_zip_attachment_declares_a_thousandfold_inflation_is_refused_as_ZipBomb_without_inflating_it(string door)
    {
        var hub = await HubAsync();
        var package = HostileInputs.ZipBomb(hub);
        await AssertRefusedAsync(hub, "ZipBomb", ledger: true, () => SendPackageAsync(hub, door, package));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("soap")]
    [InlineData("axis")]
    public async Task A_package_with_bytes_that_are_not_UTF_8_is_refused_as_MalformedXml(string door)
    {
        var hub = await HubAsync();
        var package = HostileInputs.InvalidUtf8(hub);
        await AssertRefusedAsync(hub, "MalformedXml", ledger: true, () => SendPackageAsync(hub, door, package));
    }
}
