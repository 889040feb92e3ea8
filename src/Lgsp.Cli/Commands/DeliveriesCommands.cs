using System.CommandLine;
using System.Globalization;
using Lgsp.Cli.Hub;
using Lgsp.Cli.Output;
using Lgsp.Exchange.Storage;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp deliveries list</c>: what the hub is delivering, has delivered, or could not deliver.</summary>
internal static class DeliveriesCommands
{
    public static Command Create()
    {
        var hub = new HubCommandOptions();
        var states = Enum.GetValues<DeliveryState>().Select(s => s.ToString().ToLowerInvariant()).ToArray();
        var state = new Option<string?>("--state") { Description = $"Only deliveries in this state: {string.Join(", ", states)}.", HelpName = "STATE" };
        var max = new Option<int>("--max") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 50, HelpName = "N" };
        var json = CommonOptions.Json();
        var list = new Command("list", "List deliveries, newest first.") { state, max, json };
        list.SetAction((parse, ct) =>
        {
            DeliveryState? only = null;
            if (parse.GetValue(state) is { } text)
            {
                if (!states.Contains(text.Trim().ToLowerInvariant()))
                {
                    return Task.FromResult(HubCommandOptions.Usage(parse, $"--state: '{text}' is not a delivery state (one of {string.Join(", ", states)})"));
                }

                only = Enum.Parse<DeliveryState>(text.Trim(), ignoreCase: true);
            }

            var limit = parse.GetValue(max);
            if (limit < 1)
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, "--max: must be at least 1"));
            }

            return hub.RunAsync(parse, async connection =>
            {
                var deliveries = await connection.Packages.ListDeliveriesAsync(new DeliveryFilter { State = only }, limit, ct);
                var output = parse.InvocationConfiguration.Output;
                if (parse.GetValue(json))
                {
                    Findings.WriteJson(output, deliveries);
                    return LgspCommand.Ok;
                }

                var table = Tables.Create("id", "document id", "from", "recipient", "via", "mode", "state", "attempts", "error code", "last error", "next attempt");
                foreach (var d in deliveries)
                {
                    table.AddText(
                        d.Id.ToString(CultureInfo.InvariantCulture),
                        d.DocumentId,
                        d.From,
                        d.AddressedTo is null ? d.Recipient : $"{d.Recipient} ← {d.AddressedTo}",
                        d.Via,
                        d.Mode.ToString().ToLowerInvariant(),
                        d.State.ToString().ToLowerInvariant(),
                        d.Attempts.ToString(CultureInfo.InvariantCulture),
                        d.LastErrorCode,
                        d.LastError,
                        Tables.Time(d.NextAttemptAt));
                }

                Tables.Console(output).Write(table);
                output.WriteLine($"{deliveries.Count} {(deliveries.Count == 1 ? "delivery" : "deliveries")}{(deliveries.Count == limit ? $" (the newest {limit}; --max for more)" : "")}");
                return LgspCommand.Ok;
            }, ct);
        });
        return hub.AddTo(new Command("deliveries", "Deliveries of packages to their recipients.") { list });
    }
}
