using System.Text.Json;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Outbound.Links;

namespace Lgsp.Cli.Hub;

/// <summary>The witness's side of <c>lgsp audit witness-check --witness-url</c>: every countersignature
/// the parent hub issued to the audited hub, asked for over the hub-to-hub channel
/// (<c>getCountersignatures</c>) as the audited hub itself would ask, with its link to the parent.</summary>
internal static class WitnessChannel
{
    // A parent that keeps answering "more" would otherwise be followed forever.
    private const int MaxPages = 100_000;

    /// <summary>The countersignatures, by last seq; or why they could not be had.</summary>
    public static async Task<(IReadOnlyList<StoredCountersignature>? Issued, string? Problem)> IssuedAsync(IDirectoryStore directory, SecretBox secrets, Uri url,
        CancellationToken ct)
    {
        var parents = (await directory.ListHubsAsync(ct)).Where(h => h.Role == HubRole.Parent).ToList();
        if (parents is not [var parent])
        {
            return (null, parents.Count == 0
                ? "--witness-url: the audited hub has no parent hub link to call it with (lgsp hubs add --role parent)"
                : $"--witness-url: the audited hub has several parent hub links ({string.Join(", ", parents.Select(p => p.Id))})");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var axis = new AxisClient(http, secrets, TimeProvider.System);
        var link = parent with { BaseUrl = url };
        var issued = new List<StoredCountersignature>();
        long after = 0;
        for (var page = 0; page < MaxPages; page++)
        {
            var answer = await axis.GetCountersignaturesAsync(link, after, ct);
            if (answer.Kind != AxisAnswerKind.Ok)
            {
                return (null, $"--witness-url: hub {parent.Id} at {url} did not give its countersignatures: {answer.Describe()}");
            }

            foreach (var item in answer.Items)
            {
                if (!item.TryGetProperty("lastSeq", out var seqValue) || seqValue.ValueKind != JsonValueKind.Number || !seqValue.TryGetInt64(out var lastSeq)
                    || lastSeq <= after || !item.TryGetProperty("witness", out var witnessValue) || witnessValue.ValueKind != JsonValueKind.String || witnessValue.GetString() is not { } base64)
                {
                    return (null, $"--witness-url: hub {parent.Id} gave a countersignature list out of order or without lastSeq and witness");
                }

                byte[] xml;
                try
                {
                    xml = Convert.FromBase64String(base64);
                }
                catch (FormatException)
                {
                    return (null, $"--witness-url: hub {parent.Id} gave the countersignature for seq {lastSeq} in bad base64");
                }

                issued.Add(new StoredCountersignature(parent.Id, lastSeq, xml));
                after = lastSeq;
            }

            if (answer.Text("more") != "true" || answer.Items.Count == 0)
            {
                return (issued, null);
            }
        }

        return (null, $"--witness-url: hub {parent.Id} kept answering that there are more countersignatures");
    }
}
