using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Routing;

/// <summary>Where a recipient code leads.</summary>
/// <param name="AddressedTo">The code as written.</param>
/// <param name="Agency">The active agency that gets the package, or null when none does.</param>
/// <param name="Redirects">Retired codes followed to reach <paramref name="Agency"/>, in order
/// (empty when the code itself is active).</param>
public sealed record Route(string AddressedTo, Agency? Agency, IReadOnlyList<string> Redirects)
{
    /// <summary>True when an agency this hub serves gets the package.</summary>
    public bool IsServed => Agency is not null;

    /// <summary>How it is delivered: push when the agency registered an endpoint, otherwise pull.</summary>
    public DeliveryMode Mode => Agency?.PushEndpoint is null ? DeliveryMode.Pull : DeliveryMode.Push;
}

/// <summary>Resolves recipient codes through the directory: successor links first (retired and merged
/// agencies), then the active agency. This hub serves every active agency in its directory; routing
/// to other hubs comes with the hub records.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class Router(IDirectoryStore directory)
{
    /// <summary>Successor chains longer than this are treated as broken.</summary>
    public const int MaxRedirects = 16;

    /// <summary>Resolves one code.</summary>
    public async Task<Route> ResolveAsync(string code, CancellationToken ct = default)
    {
        var redirects = new List<string>();
        var current = code;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            var agency = await directory.FindAgencyAsync(current, ct);
            if (agency is null)
            {
                return new Route(code, null, redirects);
            }

            if (agency.Active)
            {
                return new Route(code, agency, redirects);
            }

            if (agency.SuccessorCode is null || redirects.Contains(agency.SuccessorCode) || agency.SuccessorCode == code)
            {
                return new Route(code, null, redirects);
            }

            redirects.Add(current);
            current = agency.SuccessorCode;
        }

        return new Route(code, null, redirects);
    }
}
