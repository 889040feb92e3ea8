using System.CommandLine;
using System.Globalization;
using Lgsp.Cli.Hub;
using Lgsp.Cli.Output;
using Lgsp.Exchange.Inbox;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp trace DOCUMENT-ID</c>: the whole story of a document at this hub, every sender's,
/// in ledger order, with the hop receipts.</summary>
internal static class TraceCommand
{
    public static Command Create()
    {
        var hub = new HubCommandOptions();
        var documentId = new Argument<string>("DOCUMENT-ID") { Description = "The document's DocumentId (sender code, date, number/notation)." };
        var json = CommonOptions.Json();
        var command = new Command("trace", "Show a document's ledger entries at this hub in order: reception, deliveries, attempts, statuses, and the hop receipts.")
        {
            documentId, json,
        };
        command.SetAction((parse, ct) => hub.RunAsync(parse, async connection =>
        {
            var id = parse.GetValue(documentId)!.Trim();
            var events = TraceView.OfAll(await connection.Packages.TraceAsync(id, senders: null, ct));
            var output = parse.InvocationConfiguration.Output;
            if (events.Count == 0)
            {
                parse.InvocationConfiguration.Error.WriteLine($"no ledger entry is about DocumentId {id}");
                return LgspCommand.Failed;
            }

            if (parse.GetValue(json))
            {
                Findings.WriteJson(output, new { documentId = id, events });
                return LgspCommand.Ok;
            }

            var table = Tables.Create("seq", "time", "kind", "actor", "recipient", "summary");
            foreach (var e in events)
            {
                table.AddText(e.Seq.ToString(CultureInfo.InvariantCulture), Tables.Time(e.At), e.Kind, e.Actor, e.Recipient, e.Summary);
            }

            Tables.Console(output).Write(table);
            output.WriteLine($"{events.Count} {(events.Count == 1 ? "entry" : "entries")} about {id}");
            return LgspCommand.Ok;
        }, ct));
        return hub.AddTo(command);
    }
}
