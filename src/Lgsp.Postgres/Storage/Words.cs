using Lgsp.Edxml.Model;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;

namespace Lgsp.Postgres.Storage;

/// <summary>How enums are spelled in the database.</summary>
internal static class Words
{
    public static string Of(DeliveryState state) => state.ToString().ToLowerInvariant();

    public static DeliveryState State(string word) => Enum.Parse<DeliveryState>(word, ignoreCase: true);

    public static string Of(DeliveryMode mode) => mode.ToString().ToLowerInvariant();

    public static DeliveryMode Mode(string word) => Enum.Parse<DeliveryMode>(word, ignoreCase: true);

    public static string Of(PackageKind kind) => kind == PackageKind.Document ? "document" : "status";

    public static PackageKind Kind(string word) => word == "document" ? PackageKind.Document : PackageKind.Status;

    public static string Of(PackagePolicy policy) => policy == PackagePolicy.Legacy ? "legacy" : "strict";

    public static PackagePolicy Policy(string word) => word == "legacy" ? PackagePolicy.Legacy : PackagePolicy.Strict;

    public static string Of(HubRole role) => role == HubRole.Parent ? "parent" : "child";

    /// <summary>The client-system roles (<c>lgsp.client_system.role</c>).</summary>
    public const string Agency = "agency";

    /// <inheritdoc cref="Agency"/>
    public const string Auditor = "auditor";

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
