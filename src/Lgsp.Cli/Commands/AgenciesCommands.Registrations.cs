using System.CommandLine;
using System.Globalization;
using Lgsp.Cli.Hub;
using Lgsp.Cli.Output;

namespace Lgsp.Cli.Commands;

// lgsp agencies pending / approve / reject: the agencies client systems asked to register over the axis
// protocol (registerAgency), which wait for an operator (docs/operations.md, "Approving agency registrations").
internal static partial class AgenciesCommands
{
    private static Command Pending(HubCommandOptions hub)
    {
        var json = CommonOptions.Json();
        var command = new Command("pending", "List the agencies client systems asked to register, waiting for approval (oldest first).") { json };
        command.SetAction((parse, ct) => hub.RunAsync(parse, async connection =>
        {
            var requests = await connection.Directory.ListPendingRegistrationsAsync(ct);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                Findings.WriteJson(output, requests.Select(r => new
                {
                    code = r.Code,
                    name = r.Name,
                    parent = r.ParentCode,
                    mail = r.Mail,
                    system = r.SystemId,
                    requestedAt = r.RequestedAt,
                }));
                return LgspCommand.Ok;
            }

            var table = Tables.Create("code", "name", "parent", "mail", "system", "requested at");
            foreach (var r in requests)
            {
                table.AddText(r.Code, r.Name, r.ParentCode, r.Mail, r.SystemId, r.RequestedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture));
            }

            Tables.Console(output).Write(table);
            output.WriteLine($"{requests.Count} {(requests.Count == 1 ? "registration waits" : "registrations wait")} for approval");
            return LgspCommand.Ok;
        }, ct));
        return command;
    }

    private static Command Decide(HubCommandOptions hub, bool approve)
    {
        var code = new Argument<string>("CODE") { Description = "The agency code a client system asked to register (lgsp agencies pending)." };
        var reason = new Option<string>("--reason") { Description = "Why (mandatory): recorded in the ledger with who decided.", HelpName = "TEXT", Required = true };
        var command = approve
            ? new Command("approve", "Approve a waiting registration: the agency enters the directory, owned by the system that asked, which then acts for it.") { code, reason }
            : new Command("reject", "Reject a waiting registration: the directory is unchanged.") { code, reason };
        command.SetAction((parse, ct) =>
        {
            if (hub.Code(parse, parse.GetValue(code)!, "CODE") is not { } agency)
            {
                return Task.FromResult(LgspCommand.Usage);
            }

            if (parse.GetValue(reason) is not { } why || string.IsNullOrWhiteSpace(why))
            {
                return Task.FromResult(HubCommandOptions.Usage(parse, "--reason: the reason is empty"));
            }

            return hub.RunAsync(parse, async connection =>
            {
                var actor = hub.ActorOf(parse);
                var request = approve
                    ? await connection.Directory.ApproveRegistrationAsync(agency, why.Trim(), actor, ct)
                    : await connection.Directory.RejectRegistrationAsync(agency, why.Trim(), actor, ct);
                parse.InvocationConfiguration.Output.WriteLine(approve
                    ? $"approved {request.Code} {request.Name}{(request.ParentCode is null ? "" : " under " + request.ParentCode)}, owned by {request.SystemId}"
                      + " (the running hub sees the new mandate within a minute)"
                    : $"rejected {request.Code} {request.Name}, asked by {request.SystemId}");
                return LgspCommand.Ok;
            }, ct);
        });
        return command;
    }
}
