using System.CommandLine;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Writing;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp edxml new</c>: builds a new document package from the command line.</summary>
internal static class NewCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "Sender agency code.", Required = true };
        var to = new Option<string[]>("--to") { Description = "Recipient agency code (repeat for several).", Required = true, Arity = ArgumentArity.OneOrMore };
        var number = new Option<string>("--number") { Description = "Document number (CodeNumber), e.g. 123.", Required = true };
        var notation = new Option<string>("--notation") { Description = "Notation (CodeNotation), e.g. UBND-VX.", Required = true };
        var subject = new Option<string>("--subject") { Description = "Subject (trích yếu).", Required = true };
        var attach = new Option<FileInfo[]>("--attach") { Description = "A file to attach (repeat for several)." };
        var zip = new Option<bool>("--zip") { Description = "Zip each attachment before encoding, as the national SDK does." };
        var date = new Option<DateOnly?>("--date") { Description = "Promulgation date (default: today)." };
        var place = new Option<string?>("--place") { Description = "Place of promulgation." };
        var typeName = new Option<string>("--type-name") { Description = "Document type name.", DefaultValueFactory = _ => "Công văn" };
        var output = CommonOptions.Out("the package");
        var command = new Command("new", "Build a new document package.") { from, to, number, notation, subject, attach, zip, date, place, typeName, output };
        command.SetAction(parse =>
        {
            var day = parse.GetValue(date) ?? DateOnly.FromDateTime(DateTime.Now);
            var sender = parse.GetValue(from)!;
            var attachments = new List<Attachment>();
            foreach (var (file, i) in (parse.GetValue(attach) ?? []).Select((f, i) => (f, i)))
            {
                if (!file.Exists)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"{file.FullName}: no such file");
                    return LgspCommand.Usage;
                }

                attachments.Add(Attachment.FromBytes(file.Name, File.ReadAllBytes(file.FullName), MediaTypes.Of(file.Name), $"cid:{i + 1}", parse.GetValue(zip)));
            }

            using var package = new DocumentPackage
            {
                From = new Organization(sender),
                To = ValueList.From(parse.GetValue(to)!.Select(code => new Organization(code))),
                Code = new DocumentCode(parse.GetValue(number), parse.GetValue(notation)),
                PromulgationInfo = new PromulgationInfo(parse.GetValue(place), EdxmlDate.From(day)),
                DocumentType = new DocumentType("2", null, parse.GetValue(typeName)),
                Subject = parse.GetValue(subject),
                DocumentId = DocumentIds.Compose(sender, day, parse.GetValue(number)!, parse.GetValue(notation)),
                TraceHeaders = [new TraceHeader(sender, EdxmlTimestamp.From(DateTime.Now))],
                Business = new Business { BussinessDocType = BusinessDocType.New, BussinessDocTypeText = "0", Paper = 0 },
                References = ValueList.From(attachments.Select(a => new ManifestReference(a.ContentId, a.ContentType, a.Description, a.AttachmentName))),
                Attachments = ValueList.From(attachments),
            };
            CommonOptions.WriteResult(PackageWriter.ToBytes(package), parse.GetValue(output));
            return LgspCommand.Ok;
        });
        return command;
    }
}

/// <summary>MIME types by file extension, for attachments.</summary>
internal static class MediaTypes
{
    public static string Of(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".pdf" => "application/pdf",
        ".doc" => "application/msword",
        ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xls" => "application/vnd.ms-excel",
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".zip" => "application/zip",
        ".xml" or ".edxml" => "application/xml",
        ".txt" => "text/plain",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
