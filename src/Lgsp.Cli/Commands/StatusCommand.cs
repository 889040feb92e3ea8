using System.CommandLine;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Reading;
using Lgsp.Edxml.Writing;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp edxml status</c>: builds a business status package about a document.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "The agency setting the status.", Required = true };
        var forFile = new Option<FileInfo>("--for") { Description = "The document package the status is about.", Required = true };
        var code = new Option<string>("--code") { Description = "Status code: 01 02 03 04 05 06 13 15 16.", Required = true };
        var description = new Option<string?>("--description") { Description = "Description (required for 02: the reason)." };
        var to = new Option<string?>("--to") { Description = "For 13 only: the recipient asked to give the document back (default: the document's only recipient)." };
        var output = CommonOptions.Out("the status package");
        var command = new Command("status", "Build a status package about a document.") { from, forFile, code, description, to, output };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var codeText = parse.GetValue(code)!;
            if (StatusCodes.TryParse(codeText) is not { } status)
            {
                error.WriteLine(EdxmlError.Create(ErrorCode.UnknownStatusCode, "--code", codeText).ToString());
                return LgspCommand.Usage;
            }

            DocumentPackage document;
            try
            {
                using var file = parse.GetValue(forFile)!.OpenRead();
                document = PackageReader.ReadDocument(file);
            }
            catch (Exception ex) when (ex is EdxmlFormatException or IOException)
            {
                error.WriteLine(ex.Message);
                return LgspCommand.Usage;
            }

            using (document)
            {
                // Every status goes back to the document's sender, except 13, which the sender
                // addresses to a recipient (EDXML §2).
                var addressee = document.From?.OrganId;
                if (status == StatusCode.TakeBackRequested)
                {
                    addressee = parse.GetValue(to) ?? (document.To.Count == 1 ? document.To[0].OrganId : null);
                    if (addressee is null)
                    {
                        error.WriteLine("Status 13 needs --to: the document has several recipients.");
                        return LgspCommand.Usage;
                    }
                }

                var package = new StatusPackage
                {
                    From = new Organization(parse.GetValue(from)),
                    ResponseFor = new ResponseFor(addressee, document.Code?.ToString(), document.PromulgationInfo?.PromulgationDate, document.DocumentId),
                    StatusCode = StatusCodes.ToText(status),
                    Description = parse.GetValue(description),
                    Timestamp = EdxmlTimestamp.From(DateTime.Now),
                };
                CommonOptions.WriteResult(PackageWriter.ToBytes(package), parse.GetValue(output));
            }

            return LgspCommand.Ok;
        });
        return command;
    }
}
