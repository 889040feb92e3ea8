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
/// the unit whose <c>id</c> its <c>pid</c> names, when listed. Deleted units become inactive tombstones
/// (<see cref="Agency.Deleted"/>), which this hub's own <c>getSynchronizeUnit</c> passes on to its
/// children. Successor codes come from <c>getAgenciesList</c> (<c>oldCode</c>: the retired code an
/// agency succeeds); a successor that would close a loop with the successors this hub already knows is
/// left out and logged, so routing never meets a loop the sync made.</para>
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

        // getAgenciesList is the only feed that names successors. Without it the cycle stores nothing:
        // storing the units alone would clear every successor synced before.
        var list = await axis.GetAgenciesListAsync(parent, ct);
        if (list.Kind != AxisAnswerKind.Ok)
        {
            metrics.Synced("unavailable");
            log.LogWarning("Parent hub {Hub} did not give its agency list, directory not synced this time: {Answer}", parent.Id, list.Describe());
            return;
        }

        var units = Units(answer.Items, self.Id, Successors(list.Items));
        var (agencies, loops) = WithoutSuccessorLoops(units, await Directory.ListAgenciesAsync(null, ct));
        foreach (var (code, successor) in loops)
        {
            log.LogWarning("Parent hub {Hub} names {Successor} as the successor of {Code}, which would close a loop of successors here; left out",
                parent.Id, successor, code);
        }

        var changed = await Directory.UpsertRemoteAgenciesAsync(parent.Id, agencies, Actor, ct);
        metrics.Synced("done");
        log.LogInformation("Directory sync from parent hub {Hub}: {Units} units listed, {Changed} agencies added or changed", parent.Id, agencies.Count, changed);
    }

    /// <summary>The successor of each retired code, from a <c>getAgenciesList</c> answer: an item with
    /// <c>oldCode</c> succeeds that code.</summary>
    public static IReadOnlyDictionary<string, string> Successors(IReadOnlyList<JsonElement> items)
    {
        var successors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (AxisJson.Text(item, "oldCode") is { Length: > 0 } old && AxisJson.Text(item, "code") is { Length: > 0 } code && old != code)
            {
                successors[old] = code;
            }
        }

        return successors;
    }

    /// <summary>The agencies to store without the successors that would close a loop, given what the
    /// directory holds now (a stored agency's successor is replaced by the sync's when the sync gives
    /// that agency); and the successors left out.</summary>
    public static (IReadOnlyList<Agency> Agencies, IReadOnlyList<(string Code, string Successor)> Loops) WithoutSuccessorLoops(
        IReadOnlyList<Agency> synced, IReadOnlyList<Agency> stored)
    {
        var next = stored.Where(a => a.SuccessorCode is not null).ToDictionary(a => a.Code, a => a.SuccessorCode!, StringComparer.Ordinal);
        var storedServedHere = stored.Where(a => a.ServedBy is null).Select(a => a.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var agency in synced)
        {
            // The store never changes what this hub serves, so the sync's word counts only for the others.
            if (!storedServedHere.Contains(agency.Code))
            {
                if (agency.SuccessorCode is { } successor)
                {
                    next[agency.Code] = successor;
                }
                else
                {
                    next.Remove(agency.Code);
                }
            }
        }

        var loops = new List<(string, string)>();
        var kept = new List<Agency>(synced.Count);
        foreach (var agency in synced)
        {
            if (agency.SuccessorCode is { } successor && LeadsBack(agency.Code, next))
            {
                loops.Add((agency.Code, successor));
                next.Remove(agency.Code);
                kept.Add(agency with { SuccessorCode = null });
            }
            else
            {
                kept.Add(agency);
            }
        }

        return (kept, loops);
    }

    private static bool LeadsBack(string code, Dictionary<string, string> next)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { code };
        for (var current = code; next.TryGetValue(current, out var successor);)
        {
            if (!seen.Add(successor))
            {
                // A loop further on that does not pass through code is not this successor's doing.
                return successor == code;
            }

            current = successor;
        }

        return false;
    }

    /// <summary>The agencies of a <c>getSynchronizeUnit</c> answer, parents before children, without the
    /// units the parent says <paramref name="selfId"/> serves.</summary>
    /// <param name="items">The <c>getSynchronizeUnit</c> items.</param>
    /// <param name="selfId">This hub's id: units the parent says it serves are left out.</param>
    /// <param name="successors">Retired code to successor (<see cref="Successors"/>); a retired code the
    /// units do not list is added as an inactive agency with its successor, so that documents addressed to
    /// it find their way.</param>
    public static IReadOnlyList<Agency> Units(IReadOnlyList<JsonElement> items, string selfId, IReadOnlyDictionary<string, string>? successors = null)
    {
        successors ??= new Dictionary<string, string>();
        var servedHere = new HashSet<string>(StringComparer.Ordinal);
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
            if (string.IsNullOrEmpty(code))
            {
                continue;
            }

            if (AxisJson.Text(item, "centerCode") == selfId)
            {
                servedHere.Add(code);
                continue;
            }

            var parent = AxisJson.Text(item, "pid") is { } pid && codeOfId.TryGetValue(pid, out var parentCode) && parentCode != code ? parentCode : null;
            var deleted = string.Equals(AxisJson.Text(item, "deleted"), "true", StringComparison.OrdinalIgnoreCase);
            var successor = successors.TryGetValue(code, out var s) ? s : null;
            units[code] = new Agency(code, AxisJson.Text(item, "name") is { Length: > 0 } name ? name : code, parent, AgencyTier.Other,
                !deleted && successor is null, successor, null, default) { Deleted = deleted };
        }

        foreach (var (old, successor) in successors)
        {
            if (!units.ContainsKey(old) && !servedHere.Contains(old))
            {
                units[old] = new Agency(old, old, null, AgencyTier.Other, false, successor, null, default);
            }
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
