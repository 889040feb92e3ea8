using System.Text.RegularExpressions;
using Lgsp.Exchange.Receipts;
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

    /// <summary>The hub's id.</summary>
    public static string HubId(this RunningHub hub) => hub.Services.GetRequiredService<HubIdentity>().Id;

    /// <summary>True for the protocol's time format.</summary>
    public static bool IsProtocolTime(string text) => TimeFormat().IsMatch(text);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")]
    private static partial Regex TimeFormat();
}
