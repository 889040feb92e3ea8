using System.CommandLine;
using System.Globalization;
using Lgsp.Cli.Hub;
using Lgsp.Cli.Output;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Routing;
using Spectre.Console;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp replay</c>: makes failed deliveries due again, one by id or every failed one a filter
/// selects, with a dry run that lists exactly what would be resent. The command line has no job queue:
/// the hub's reconciler starts replayed push deliveries on its next run (Hub:Delivery:ReconcileCron).</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var hub = new HubCommandOptions();

        // Who replayed is what operators ask about a replay; --by reads naturally beside --reason.
        hub.Actor.Aliases.Add("--by");
        var id = new Argument<long?>("DELIVERY-ID") { Description = "The delivery to replay (see `lgsp deliveries list`).", Arity = ArgumentArity.ZeroOrOne };
        var failed = new Option<bool>("--failed") { Description = "Replay every failed delivery the filters select." };
        var recipient = new Option<string?>("--recipient") { Description = "With --failed: only deliveries to this agency.", HelpName = "CODE" };
        var hubId = new Option<string?>("--hub") { Description = "With --failed: only deliveries forwarded to this hub.", HelpName = "ID" };
        var since = new Option<string?>("--since") { Description = "With --failed: only deliveries that failed at or after this time (ISO 8601; local time unless it has an offset).", HelpName = "T" };
        var error = new Option<string?>("--error") { Description = "With --failed: only deliveries whose last error has this code (http-503, timeout, connection-refused, no-endpoint, confirm-fail, ...).", HelpName = "CODE" };
        var dryRun = new Option<bool>("--dry-run") { Description = "List exactly what would be replayed; change nothing." };
        var reason = new Option<string?>("--reason") { Description = "Why (mandatory): recorded in the ledger with who replayed what.", HelpName = "TEXT" };
        var json = CommonOptions.Json();
        var command = new Command("replay", "Replay failed deliveries: push deliveries are retried, pull deliveries return to the recipient's pending list.")
        {
            id, failed, recipient, hubId, since, error, dryRun, reason, json,
        };
        command.SetAction((parse, ct) =>
        {
            var single = parse.GetValue(id);
            var filtered = parse.GetValue(failed);
            if (single is null == !filtered)
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, "name one DELIVERY-ID, or --failed with optional filters, not both"));
            }

            if (single is not null && new Option[] { recipient, hubId, since, error }.FirstOrDefault(o => parse.GetResult(o) is not null) is { } stray)
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, $"{stray.Name} filters failed deliveries: it needs --failed instead of a DELIVERY-ID"));
            }

            ReplayRequest request;
            try
            {
                if (single is { } one)
                {
                    request = ReplayRequest.Single(one, hub.ActorOf(parse), parse.GetValue(reason) ?? "", parse.GetValue(dryRun));
                }
                else
                {
                    var code = parse.GetValue(recipient) is { } text ? hub.KnownCode(parse, text, "--recipient") : null;
                    if (code is null && parse.GetValue(recipient) is not null)
                    {
                        return Task.FromResult(LgspCommand.Usage);
                    }

                    DateTimeOffset? from = null;
                    if (parse.GetValue(since) is { } t)
                    {
                        if (!DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var parsed))
                        {
                            return Task.FromResult(HubCommandOptions.Usage(parse, $"--since: '{t}' is not a time (e.g. 2026-11-23T08:00+07:00, or 2026-11-23 for local midnight)"));
                        }

                        from = parsed;
                    }

                    var filter = new ReplayFilter(code, Blank(parse.GetValue(hubId)), from, Blank(parse.GetValue(error))?.ToLowerInvariant());
                    request = ReplayRequest.Failed(filter, hub.ActorOf(parse), parse.GetValue(reason) ?? "", parse.GetValue(dryRun));
                }
            }
            catch (ExchangeException ex)
            {
                return Task.FromResult(hub.Usage(parse, ex.Error));
            }

            return hub.RunAsync(parse, async connection =>
            {
                var service = new ReplayService(connection.Packages, connection.Deliveries, new Router(connection.Directory), TimeProvider.System);
                var output = parse.InvocationConfiguration.Output;
                var console = Tables.Console(output);
                ReplayResult result;
                if (request.DryRun || !console.Profile.Capabilities.Interactive)
                {
                    // A progress bar only means something on a terminal; a redirected run gets the summary.
                    result = await service.RunAsync(request, ct: ct);
                }
                else
                {
                    var planned = await service.PreviewAsync(request, ct);
                    result = await console.Progress().StartAsync(async progress =>
                    {
                        var task = progress.AddTask("replaying", maxValue: Math.Max(1, planned.Count));
                        return await service.RunAsync(request, new Progress(task), ct);
                    });
                }

                if (parse.GetValue(json))
                {
                    Findings.WriteJson(output, result);
                    return Exit(result, request);
                }

                Report(console, output, result, request);
                return Exit(result, request);
            }, ct);
        });
        return hub.AddTo(command);
    }

    private static void Report(IAnsiConsole console, TextWriter output, ReplayResult result, ReplayRequest request)
    {
        if (request.DeliveryId is not null && result.Items is [{ Outcome: not ReplayOutcome.Replayed } only])
        {
            output.WriteLine(only.Explanation);
            return;
        }

        if (result.DryRun)
        {
            var table = Tables.Create("delivery id", "document", "recipient", "hub", "failed at", "error code", "error", "route");
            foreach (var item in result.Items.Where(i => i.Outcome == ReplayOutcome.Replayed))
            {
                var d = item.Delivery!;
                table.AddText(d.Id.ToString(CultureInfo.InvariantCulture), d.DocumentId, d.Recipient, d.Via, Tables.Time(d.FailedAt), d.LastErrorCode, d.LastError,
                    item.Route?.ToString());
            }

            console.Write(table);
            output.WriteLine($"dry run: {Count(result.Replayed)} would be replayed; nothing was changed");
            foreach (var stuck in result.Items.Where(i => i.Outcome == ReplayOutcome.NoRoute))
            {
                output.WriteLine($"  {stuck.Explanation}");
            }

            return;
        }

        output.WriteLine($"replayed {result.Replayed}, skipped {result.Skipped}");
        foreach (var skipped in result.Items.Where(i => i.Outcome != ReplayOutcome.Replayed))
        {
            output.WriteLine($"  {skipped.Explanation}");
        }
    }

    // Nothing to replay is not an error (exit 0); an id that does not exist is.
    private static int Exit(ReplayResult result, ReplayRequest request) =>
        request.DeliveryId is not null && result.Items is [{ Outcome: ReplayOutcome.NotFound }] ? LgspCommand.Failed : LgspCommand.Ok;

    private static string Count(int n) => n == 1 ? "1 delivery" : $"{n} deliveries";

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Advances the progress bar as each delivery is handled.</summary>
    private sealed class Progress(ProgressTask task) : IProgress<ReplayItem>
    {
        public void Report(ReplayItem value) => task.Increment(1);
    }
}
