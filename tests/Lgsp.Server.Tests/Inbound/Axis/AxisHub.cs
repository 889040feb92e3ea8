using System.Text.RegularExpressions;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Axis;
using Lgsp.Server.Tests.Inbound.Axis.Sdk;
using Lgsp.Server.Tests.Support;

namespace Lgsp.Server.Tests.Inbound.Axis;

/// <summary>The demo agencies the axis tests use, and SDK-like clients logged in as their systems.</summary>
internal static partial class AxisHub
{
    /// <summary>A commune (system qlvb-hac-thanh).</summary>
    public const string Commune = "000.00.61.H56";

    /// <summary>The Department of Finance (system qlvb-so-tai-chinh).</summary>
    public const string Finance = "000.00.02.H56";

    /// <summary>The province (system qlvb-ubnd-tinh).</summary>
    public const string Province = "000.00.00.H56";

    /// <summary>The SDK's usual list parameters.</summary>
    public const string EdocList = """{"servicetype":"eDoc","messagetype":"edoc"}""";

    /// <summary>The same for statuses.</summary>
    public const string StatusList = """{"servicetype":"eDoc","messagetype":"status"}""";

    /// <summary>A new SDK-like client (one SDK instance) for the system acting for <paramref name="agency"/>.</summary>
    public static VxpClient Sdk(this RunningHub hub, string agency, DateTime? constructedAt = null, System.Text.Encoding? headerEncoding = null) =>
        new(hub.AxisUri.ToString(), hub.System(agency).Id, hub.System(agency).Secret, constructedAt, headerEncoding);

    /// <summary><c>sendEdoc</c> parameters for a package from <paramref name="from"/>.</summary>
    public static string Send(string from, string messageType = "edoc", string? extra = null) =>
        $$"""{"from":"{{from}}","servicetype":"eDoc","messagetype":"{{messageType}}"{{(extra is null ? "" : "," + extra)}}}""";

    /// <summary>Approves the registration waiting for <paramref name="code"/> as an operator does
    /// (<c>lgsp agencies approve</c>), then drops the hub's cached view of the system that asked, as the
    /// minute the cache lasts would.</summary>
    public static async Task ApproveAsync(this RunningHub hub, string code)
    {
        var request = await hub.Services.GetRequiredService<IDirectoryStore>().ApproveRegistrationAsync(code, "checked with the agency", "operator:test");
        hub.Services.GetRequiredService<AxisAuthenticator>().Forget(request.SystemId);
    }

    /// <summary>Adds or changes an agency as an operator does (<c>lgsp agencies add</c>), then drops the
    /// hub's cached view of <paramref name="system"/>, as the minute the cache lasts would.</summary>
    public static async Task OperatorSavesAsync(this RunningHub hub, string code, string name, string parent, string system)
    {
        await hub.Services.GetRequiredService<IDirectoryStore>().SaveAgencyAsync(
            new Agency(code, name, parent, AgencyTier.Other, true, null, null, DateTimeOffset.UtcNow), "operator:test");
        hub.Services.GetRequiredService<AxisAuthenticator>().Forget(system);
    }

    /// <summary>Adds an agency outside the demo's tree for the system acting for <paramref name="agency"/>,
    /// as an operator does (<c>lgsp agencies add</c>, <c>lgsp systems add --agency</c>).</summary>
    public static Task<object?> GrantAsync(this RunningHub hub, string agency, string code, string name) =>
        hub.ScalarAsync($"""
            INSERT INTO lgsp.agency (code, name, tier, changed_at) VALUES ('{code}', '{name}', 'other', now());
            INSERT INTO lgsp.client_system_agency (system_id, agency_code) VALUES ('{hub.System(agency).Id}', '{code}');
            """);

    /// <summary>The hub's id.</summary>
    public static string HubId(this RunningHub hub) => hub.Services.GetRequiredService<HubIdentity>().Id;

    /// <summary>True for the protocol's time format.</summary>
    public static bool IsProtocolTime(string text) => TimeFormat().IsMatch(text);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")]
    private static partial Regex TimeFormat();
}
