using System.Text.Json;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Microsoft.Extensions.Options;

namespace Lgsp.Server.Outbound.Links;

/// <summary>
/// Copies the parent hub's directory every <see cref="ParentLinkOptions.DirectorySyncInterval"/>:
/// <c>getSynchronizeUnit</c> (tombstones included), each unit becoming an agency served by the parent
/// (<see cref="IDirectoryStore.UpsertRemoteAgenciesAsync"/>), so that GetAgencies shows the country and
/// the router knows what lies beyond the parent. The store never changes an agency this hub or one of
/// its children serves; units the parent says this hub serves are left out.
/// </summary>
/// <remarks>
/// <para>The axis protocol does not carry tiers: a new agency gets the tier <c>other</c>; its parent is
/// the unit whose <c>id</c> its <c>pid</c> names, when listed. Deleted units become inactive.</para>
/// <para>One instance syncs at a time (<see cref="ExclusiveWork.DirectorySync"/>). Thread safe.</para>
/// </remarks>
public sealed class DirectorySync(
    IDirectoryStore directory,
    IExclusiveRun exclusive,
    AxisClient axis,
    HubIdentity self,
    IOptions<HubOptions> options,
    HubLinkMetrics metrics,
    TimeProvider clock,
    ILogger<DirectorySync> log) : ParentLinkLoop(directory, exclusive, clock, log)
{
    /// <summary>The actor of the ledger entries the sync writes.</summary>
    public const string Actor = "directory-sync";

    /// <inheritdoc />
    protected override TimeSpan Interval => options.Value.Parent.DirectorySyncInterval;

    /// <inheritdoc />
    protected override ExclusiveWork Work => ExclusiveWork.DirectorySync;

    /// <inheritdoc />
    protected override async Task CycleAsync(HubLink parent, CancellationToken ct)
    {
        var answer = await axis.GetSynchronizeUnitAsync(parent, ct);
        if (answer.Kind != AxisAnswerKind.Ok)
        {
            metrics.Synced("unavailable");
            log.LogWarning("Parent hub {Hub} did not give its directory: {Answer}", parent.Id, answer.Describe());
            return;
        }

        var agencies = Units(answer.Items, self.Id);
        var changed = await Directory.UpsertRemoteAgenciesAsync(parent.Id, agencies, Actor, ct);
        metrics.Synced("done");
        log.LogInformation("Directory sync from parent hub {Hub}: {Units} units listed, {Changed} agencies added or changed", parent.Id, agencies.Count, changed);
    }

    /// <summary>The agencies of a <c>getSynchronizeUnit</c> answer, parents before children, without the
    /// units the parent says <paramref name="selfId"/> serves.</summary>
    public static IReadOnlyList<Agency> Units(IReadOnlyList<JsonElement> items, string selfId)
    {
        var codeOfId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (AxisJson.Text(item, "id") is { Length: > 0 } id && AxisJson.Text(item, "code") is { Length: > 0 } code)
            {
                codeOfId[id] = code;
            }
        }

        var units = new Dictionary<string, Agency>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var code = AxisJson.Text(item, "code");
            if (string.IsNullOrEmpty(code) || AxisJson.Text(item, "centerCode") == selfId)
            {
                continue;
            }

            var parent = AxisJson.Text(item, "pid") is { } pid && codeOfId.TryGetValue(pid, out var parentCode) && parentCode != code ? parentCode : null;
            var deleted = string.Equals(AxisJson.Text(item, "deleted"), "true", StringComparison.OrdinalIgnoreCase);
            units[code] = new Agency(code, AxisJson.Text(item, "name") is { Length: > 0 } name ? name : code, parent, AgencyTier.Other, !deleted, null, null, default);
        }

        // Parents first, so a store that checks parent codes finds each one already there.
        var ordered = new List<Agency>(units.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        void Place(Agency agency, int depth)
        {
            if (placed.Contains(agency.Code))
            {
                return;
            }

            if (depth < units.Count && agency.ParentCode is { } p && units.TryGetValue(p, out var up))
            {
                Place(up, depth + 1);
            }

            if (placed.Add(agency.Code))
            {
                ordered.Add(agency);
            }
        }

        foreach (var agency in units.Values)
        {
            Place(agency, 0);
        }

        return ordered;
    }
}
